using System.Text.Json;

namespace HandInHand.Testing.Email;

/// <summary>
/// The v3 Mail Send request as SendGrid documents it, restricted to the fields our client may use:
/// <c>POST /v3/mail/send</c>, <c>Authorization: Bearer &lt;key&gt;</c>, <c>Content-Type: application/json</c>,
/// and a body of <c>personalizations[{to[{email,name?}], custom_args{string:string}}]</c>, <c>from{email,name?}</c>,
/// <c>subject</c>, <c>content[{type,value}]</c> (text/plain before text/html), optional <c>categories</c>
/// (≤ 10 unique US-ASCII strings of ≤ 255 characters) and optional <c>mail_settings.sandbox_mode.enable</c>
/// (a JSON boolean), and optional <c>tracking_settings</c> with <c>click_tracking{enable,enable_text?}</c> and
/// <c>open_tracking{enable}</c> (JSON booleans). Anything else is reported as a problem. Member order is not checked: JSON objects are unordered.
/// </summary>
public static class MailSendContract
{
    private static readonly string[] TopLevelNames = ["personalizations", "from", "subject", "content", "categories", "mail_settings", "tracking_settings"];
    private static readonly string[] RequiredTopLevel = ["personalizations", "from", "subject", "content"];

    public static IReadOnlyList<string> Check(ReceivedRequest request, string apiKey)
    {
        var problems = new List<string>();
        if (request.Method != "POST")
        {
            problems.Add($"method {request.Method}, expected POST");
        }

        if (request.Target != "/v3/mail/send")
        {
            problems.Add($"target {request.Target}, expected /v3/mail/send");
        }

        var authorization = request.HeaderValues("Authorization");
        if (authorization.Count != 1 || authorization[0] != "Bearer " + apiKey)
        {
            problems.Add("Authorization is not exactly one 'Bearer <the API key>'");
        }

        var contentType = request.HeaderValues("Content-Type");
        if (contentType.Count != 1 || !contentType[0].Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"Content-Type [{string.Join(", ", contentType)}], expected application/json");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(request.Body);
        }
        catch (JsonException)
        {
            problems.Add("body is not JSON");
            return problems;
        }

        using (document)
        {
            CheckBody(document.RootElement, problems);
        }

        return problems;
    }

    private static void CheckBody(JsonElement root, List<string> problems)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add("body is not a JSON object");
            return;
        }

        var names = root.EnumerateObject().Select(p => p.Name).ToList();
        CheckNames("body", names, TopLevelNames, RequiredTopLevel, problems);

        if (root.TryGetProperty("personalizations", out var personalizations))
        {
            if (personalizations.ValueKind != JsonValueKind.Array || personalizations.GetArrayLength() is < 1 or > 1000)
            {
                problems.Add("personalizations is not an array of 1 to 1000 objects");
            }
            else
            {
                foreach (var personalization in personalizations.EnumerateArray())
                {
                    CheckPersonalization(personalization, problems);
                }
            }
        }

        if (root.TryGetProperty("from", out var from))
        {
            CheckAddress("from", from, problems);
        }

        if (root.TryGetProperty("subject", out var subject) && (subject.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(subject.GetString())))
        {
            problems.Add("subject is not a non-empty string");
        }

        if (root.TryGetProperty("content", out var content))
        {
            CheckContent(content, problems);
        }

        if (root.TryGetProperty("categories", out var categories))
        {
            CheckCategories(categories, problems);
        }

        if (root.TryGetProperty("mail_settings", out var settings))
        {
            CheckMailSettings(settings, problems);
        }

        if (root.TryGetProperty("tracking_settings", out var tracking))
        {
            CheckTrackingSettings(tracking, problems);
        }
    }

    private static void CheckTrackingSettings(JsonElement tracking, List<string> problems)
    {
        if (tracking.ValueKind != JsonValueKind.Object)
        {
            problems.Add("tracking_settings is not an object");
            return;
        }

        CheckNames("tracking_settings", [.. tracking.EnumerateObject().Select(p => p.Name)], ["click_tracking", "open_tracking"], [], problems);
        foreach (var (name, fields) in new[] { ("click_tracking", new[] { "enable", "enable_text" }), ("open_tracking", new[] { "enable" }) })
        {
            if (!tracking.TryGetProperty(name, out var setting))
            {
                continue;
            }

            if (setting.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"tracking_settings.{name} is not an object");
                continue;
            }

            CheckNames(name, [.. setting.EnumerateObject().Select(p => p.Name)], fields, ["enable"], problems);
            foreach (var field in setting.EnumerateObject().Where(f => f.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)))
            {
                problems.Add($"tracking_settings.{name}.{field.Name} is not a boolean");
            }
        }
    }

    private static void CheckPersonalization(JsonElement personalization, List<string> problems)
    {
        if (personalization.ValueKind != JsonValueKind.Object)
        {
            problems.Add("a personalization is not an object");
            return;
        }

        CheckNames("personalization", [.. personalization.EnumerateObject().Select(p => p.Name)], ["to", "custom_args"], ["to"], problems);
        if (personalization.TryGetProperty("to", out var to))
        {
            if (to.ValueKind != JsonValueKind.Array || to.GetArrayLength() < 1)
            {
                problems.Add("personalizations[].to is not a non-empty array");
            }
            else
            {
                foreach (var recipient in to.EnumerateArray())
                {
                    CheckAddress("personalizations[].to[]", recipient, problems);
                }
            }
        }

        if (personalization.TryGetProperty("custom_args", out var customArgs))
        {
            if (customArgs.ValueKind != JsonValueKind.Object)
            {
                problems.Add("custom_args is not an object");
            }
            else
            {
                int bytes = 0;
                foreach (var argument in customArgs.EnumerateObject())
                {
                    if (argument.Value.ValueKind != JsonValueKind.String)
                    {
                        problems.Add($"custom_args.{argument.Name} is not a string");
                    }

                    bytes += System.Text.Encoding.UTF8.GetByteCount(argument.Name) + System.Text.Encoding.UTF8.GetByteCount(argument.Value.ToString());
                }

                if (bytes > 10_000)
                {
                    problems.Add("custom_args exceed 10,000 bytes");
                }
            }
        }
    }

    private static void CheckAddress(string where, JsonElement address, List<string> problems)
    {
        if (address.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{where} is not an object");
            return;
        }

        CheckNames(where, [.. address.EnumerateObject().Select(p => p.Name)], ["email", "name"], ["email"], problems);
        if (address.TryGetProperty("email", out var email) && (email.ValueKind != JsonValueKind.String || !email.GetString()!.Contains('@', StringComparison.Ordinal)))
        {
            problems.Add($"{where}.email is not an address string");
        }

        if (address.TryGetProperty("name", out var name) && name.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{where}.name is not a string");
        }
    }

    private static void CheckContent(JsonElement content, List<string> problems)
    {
        if (content.ValueKind != JsonValueKind.Array || content.GetArrayLength() < 1)
        {
            problems.Add("content is not a non-empty array");
            return;
        }

        var types = new List<string>();
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object)
            {
                problems.Add("a content entry is not an object");
                continue;
            }

            CheckNames("content[]", [.. part.EnumerateObject().Select(p => p.Name)], ["type", "value"], ["type", "value"], problems);
            if (part.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
            {
                types.Add(type.GetString()!);
            }
            else
            {
                problems.Add("content[].type is not a string");
            }

            if (!part.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(value.GetString()))
            {
                problems.Add("content[].value is not a non-empty string");
            }
        }

        if (types.Distinct(StringComparer.OrdinalIgnoreCase).Count() != types.Count)
        {
            problems.Add("a content type appears twice");
        }

        int plain = types.IndexOf("text/plain");
        int html = types.IndexOf("text/html");
        if (plain >= 0 && html >= 0 && plain > html)
        {
            problems.Add("text/plain must come before text/html");
        }
    }

    private static void CheckCategories(JsonElement categories, List<string> problems)
    {
        if (categories.ValueKind != JsonValueKind.Array)
        {
            problems.Add("categories is not an array");
            return;
        }

        var values = new List<string>();
        foreach (var category in categories.EnumerateArray())
        {
            if (category.ValueKind != JsonValueKind.String)
            {
                problems.Add("a category is not a string");
                continue;
            }

            string value = category.GetString()!;
            values.Add(value);
            if (value.Length is 0 or > 255 || value.Any(c => c > '~' || c < ' '))
            {
                problems.Add("a category is empty, longer than 255 characters or not printable US-ASCII");
            }
        }

        if (values.Count > 10)
        {
            problems.Add("more than 10 categories");
        }

        if (values.Distinct(StringComparer.Ordinal).Count() != values.Count)
        {
            problems.Add("categories are not unique");
        }
    }

    private static void CheckMailSettings(JsonElement settings, List<string> problems)
    {
        if (settings.ValueKind != JsonValueKind.Object)
        {
            problems.Add("mail_settings is not an object");
            return;
        }

        CheckNames("mail_settings", [.. settings.EnumerateObject().Select(p => p.Name)], ["sandbox_mode"], ["sandbox_mode"], problems);
        if (settings.TryGetProperty("sandbox_mode", out var sandbox))
        {
            if (sandbox.ValueKind != JsonValueKind.Object)
            {
                problems.Add("mail_settings.sandbox_mode is not an object");
                return;
            }

            CheckNames("sandbox_mode", [.. sandbox.EnumerateObject().Select(p => p.Name)], ["enable"], ["enable"], problems);
            if (sandbox.TryGetProperty("enable", out var enable) && enable.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                problems.Add("The sandbox mode enable param should be a boolean value.");
            }
        }
    }

    /// <summary>Only known names, each once, the required ones present (a JSON object's members have no order).</summary>
    private static void CheckNames(string where, List<string> names, string[] known, string[] required, List<string> problems)
    {
        foreach (string name in names.Where(n => !known.Contains(n)))
        {
            problems.Add($"{where} has the unknown field '{name}'");
        }

        foreach (string name in names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            problems.Add($"{where} has '{name}' more than once");
        }

        foreach (string name in required.Where(r => !names.Contains(r)))
        {
            problems.Add($"{where} lacks '{name}'");
        }
    }
}
