namespace HandInHand.Host.Staff.Pages;

/// <summary>The allocation form as posted: the practitioner chosen (the suggested one's button, or the override list).</summary>
public sealed record AllocateInput(string? PractitionerId, string? CommandKey)
{
    public const string PractitionerField = "practitionerId";

    public static AllocateInput From(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        string? Value(string name) => form.TryGetValue(name, out var v) ? v.ToString().Trim() : null;
        return new(Value(PractitionerField), Value(FirstContactInput.CommandKeyField));
    }
}
