using HandInHand.Domain.Referrals;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HandInHand.Host.Web;

/// <summary>RFC 9457 problem details, built in one place so every error reads alike.</summary>
public static class Problems
{
    public static ProblemHttpResult Status(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    /// <summary>A 400 validation problem with a message per field.</summary>
    public static ValidationProblem Fields(params FieldError[] errors) =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            detail: "Some fields need correcting. Nothing was stored.",
            title: "The referral has errors");
}
