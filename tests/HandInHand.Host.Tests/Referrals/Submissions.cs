using System.Text.Json.Nodes;

namespace HandInHand.Host.Tests.Referrals;

/// <summary>Referral request bodies as a client would send them.</summary>
internal static class Submissions
{
    public static JsonObject Valid(string firstName = "Alex", string lastName = "Example") => new()
    {
        ["youngPerson"] = new JsonObject
        {
            ["firstName"] = firstName,
            ["lastName"] = lastName,
            ["dateOfBirth"] = "2011-05-14",
            ["gender"] = "female",
            ["ethnicity"] = "white",
            ["region"] = "Selby",
            ["schoolOrSetting"] = "Example Academy",
            ["safeContact"] = "Through her social worker on weekdays",
            ["phone"] = "07700 900123",
        },
        ["concerns"] = new JsonArray("cse", "online-grooming"),
        ["concernDetails"] = "Contact with older adults online",
        ["riskLevel"] = "high",
        ["youngPersonKnowsAboutReferral"] = true,
        ["youngPersonAgreesToReferral"] = true,
        ["referrer"] = new JsonObject
        {
            ["name"] = "Sam Worker",
            ["organisation"] = "Children's Social Care",
            ["type"] = "social-care",
            ["email"] = "sam.worker@example.org",
            ["phone"] = "01904 555123",
        },
    };

    /// <summary>A copy of <paramref name="body"/> for the Trusted Relationships pathway, with a case-holder's CERA and MACEM discussion.</summary>
    public static JsonObject AsTrustedRelationships(this JsonObject body) => body
        .With("service", JsonValue.Create("trusted-relationships"))
        .With("trustedRelationships", new JsonObject
        {
            ["referrerIsCaseHolder"] = true,
            ["ceraCompletedOn"] = "2026-11-02",
            ["multiAgencyDiscussion"] = "macem",
            ["multiAgencyDiscussionOn"] = "2026-11-16",
        });

    /// <summary>A copy of <paramref name="body"/> with the value at a dotted <paramref name="path"/> replaced (null removes it).</summary>
    public static JsonObject With(this JsonObject body, string path, JsonNode? value)
    {
        var copy = body.DeepClone().AsObject();
        var parts = path.Split('.');
        var target = copy;
        foreach (var part in parts[..^1])
        {
            target = target[part]!.AsObject();
        }

        if (value is null)
        {
            target.Remove(parts[^1]);
        }
        else
        {
            target[parts[^1]] = value;
        }

        return copy;
    }
}
