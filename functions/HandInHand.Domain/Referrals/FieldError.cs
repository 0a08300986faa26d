namespace HandInHand.Domain.Referrals;

/// <summary>
/// A validation message for one field. <see cref="Field"/> is the field's path in the referral
/// form (for example <c>youngPerson.dateOfBirth</c>), used as the key in problem details and as
/// the input name in the HTML form. The message never repeats the submitted value, so it can be
/// shown and logged without leaking personal data.
/// </summary>
public sealed record FieldError(string Field, string Message);
