using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Host.Audit;
using HandInHand.Infrastructure.Notifications;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Workflow;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Support;

namespace HandInHand.Host.Tests.Privacy;

public sealed class SubjectAccessTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task TheManagerExportsEverythingHeldAboutAYoungPersonAndTheExportIsAudited()
    {
        var form = _hh.Form();
        var firstName = form["youngPerson"]!["firstName"]!.GetValue<string>();
        var reference = await _hh.SubmitAsync(form);
        await _hh.AcceptAsync(reference);

        var response = await _hh.GetAsync($"/api/referrals/{reference}/subject-access-export", StaffActor.Manager);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString() ?? response.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
        var export = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(firstName, export.GetProperty("form").GetProperty("youngPerson").GetProperty("firstName").GetString());
        Assert.Contains(export.GetProperty("history").EnumerateArray(), e => e.GetProperty("$type").GetString() == "Accepted");
        Assert.NotEmpty(export.GetProperty("notifications").EnumerateArray());
        Assert.NotEmpty(export.GetProperty("accessLog").EnumerateArray());

        var log = await _hh.GetOkAsync<List<AccessLogEntry>>($"/api/referrals/{reference}/audit", StaffActor.Manager);
        Assert.Contains(log, e => e.Action == "GET /api/referrals/{reference}/subject-access-export" && e.Outcome == "allowed" && e.ActorId == "manager-1");
    }

    [Fact]
    public async Task TheExportShowsEveryChoiceAsAWordAndHoldsTheContactAddress()
    {
        var reference = await _hh.CloseAfterSupportAsync(safeEmail: "yp.export@example.org");

        var export = await _hh.GetOkAsync<JsonElement>($"/api/referrals/{reference}/subject-access-export", StaffActor.Manager);

        Assert.Equal("high", export.GetProperty("form").GetProperty("riskLevel").GetString());
        Assert.Equal("hand-in-hand", export.GetProperty("form").GetProperty("pathway").GetString());
        Assert.Equal("yp.export@example.org", export.GetProperty("contactChannel").GetProperty("address").GetString());
        Assert.Equal("email", export.GetProperty("contactChannel").GetProperty("channel").GetString());
        Assert.NotEmpty(export.GetProperty("emails").EnumerateArray());

        // Every property that holds a choice (an enum anywhere in what is exported) reads as a word.
        var choices = EnumPropertyNames();
        var numbers = new List<string>();
        Walk(export, "$", choices, numbers);
        Assert.True(numbers.Count == 0, "choices exported as numbers: " + string.Join(", ", numbers));
    }

    /// <summary>The JSON names of every enum-typed property of the types an export is made of, found by reflection so a new one cannot be missed.</summary>
    private static HashSet<string> EnumPropertyNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<Type>();
        var roots = new[] { typeof(ReferralForm), typeof(ReferralState), typeof(ContactChannelRecord), typeof(DeliveredNotification), typeof(DeliveryRecord), typeof(AccessLogEntry) }
            .Concat(typeof(ReferralEvent).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(ReferralEvent))));
        void Visit(Type type)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (!seen.Add(type) || type.IsPrimitive || type == typeof(string) || type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true && !type.IsGenericType)
            {
                return;
            }

            if (type.IsGenericType)
            {
                foreach (var argument in type.GetGenericArguments())
                {
                    Visit(argument);
                }

                return;
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                if (propertyType.IsEnum)
                {
                    names.Add(JsonNamingPolicy.CamelCase.ConvertName(property.Name));
                }

                Visit(property.PropertyType);
            }
        }

        foreach (var root in roots)
        {
            Visit(root);
        }

        Assert.Contains("riskLevel", names);
        Assert.Contains("pathway", names);
        return names;
    }

    private static void Walk(JsonElement element, string path, HashSet<string> choices, List<string> numbers)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (choices.Contains(property.Name) && property.Value.ValueKind == JsonValueKind.Number)
                    {
                        numbers.Add(path + "." + property.Name);
                    }

                    Walk(property.Value, path + "." + property.Name, choices, numbers);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, $"{path}[{i++}]", choices, numbers);
                }

                break;
        }
    }

    [Fact]
    public async Task APractitionerCannotExportAndTheRefusalIsAudited()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        await _hh.AcceptAsync(reference);

        Assert.Equal(HttpStatusCode.Forbidden, (await _hh.GetAsync($"/api/referrals/{reference}/subject-access-export", StaffActor.Selby)).StatusCode);

        var log = await _hh.GetOkAsync<List<AccessLogEntry>>($"/api/referrals/{reference}/audit", StaffActor.Manager);
        Assert.Contains(log, e => e.Action.EndsWith("subject-access-export", StringComparison.Ordinal) && e.Outcome == "refused");
    }
}
