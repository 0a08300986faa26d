using System.ComponentModel;
using System.Globalization;
using System.Xml;

namespace HandInHand.Host.Setup;

/// <summary>
/// Lets configuration give durations in ISO 8601 (<c>PT30S</c>, <c>P14D</c>) as well as .NET's own
/// <c>1.00:00:00</c>, so every clock of the lifecycle can be set in the notation administrators use.
/// </summary>
public sealed class IsoDurationConverter : TimeSpanConverter
{
    private static int _registered;

    /// <summary>Makes configuration binding use this converter for every <see cref="TimeSpan"/>; safe to call more than once.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            TypeDescriptor.AddAttributes(typeof(TimeSpan), new TypeConverterAttribute(typeof(IsoDurationConverter)));
        }
    }

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        if (value is string text)
        {
            var trimmed = text.Trim();
            if (trimmed.StartsWith('P') || trimmed.StartsWith("-P", StringComparison.Ordinal))
            {
                return XmlConvert.ToTimeSpan(trimmed);
            }
        }

        return base.ConvertFrom(context, culture, value);
    }
}
