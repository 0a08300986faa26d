using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Workflow;

namespace HandInHand.Infrastructure.Workflow;

/// <summary>
/// How workflow state, events and effects are stored: JSON with a <c>$type</c> discriminator that
/// is the nested record's name (<c>Received</c>, <c>TimerSet</c>, …), so stored history stays
/// readable and survives a rename of the C# namespace.
/// </summary>
public static class WorkflowJson
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"Stored {typeof(T).Name} is empty.");

    private static JsonSerializerOptions CreateOptions()
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(AddNestedDerivedTypes<ReferralEvent>);
        resolver.Modifiers.Add(AddNestedDerivedTypes<Effect>);
        resolver.Modifiers.Add(AddNestedDerivedTypes<ReferralCommand>);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = resolver,
            Converters = { new JsonStringEnumConverter() },
        };
        options.MakeReadOnly();
        return options;
    }

    private static void AddNestedDerivedTypes<TBase>(JsonTypeInfo info)
    {
        if (info.Type != typeof(TBase))
        {
            return;
        }

        info.PolymorphismOptions = new JsonPolymorphismOptions
        {
            TypeDiscriminatorPropertyName = "$type",
            UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization,
        };
        foreach (var nested in typeof(TBase).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(TBase))))
        {
            info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(nested, nested.Name));
        }
    }
}
