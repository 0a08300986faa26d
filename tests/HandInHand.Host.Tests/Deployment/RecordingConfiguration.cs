using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;

namespace HandInHand.Host.Tests.Deployment;

/// <summary>
/// A configuration source that holds the given settings and records every key the app looks up,
/// and every section whose children it enumerates. Added last, it is asked first for every key, so
/// nothing the app reads escapes it.
/// </summary>
internal sealed class RecordingConfigurationSource(IReadOnlyDictionary<string, string?> settings) : IConfigurationSource
{
    private readonly ConcurrentDictionary<string, byte> _keys = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _sections = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every key looked up (<c>Section:Sub:Key</c>).</summary>
    public IReadOnlyCollection<string> Keys => _keys.Keys.ToList();

    /// <summary>Every section whose children were enumerated (dictionaries and arrays are read this way).</summary>
    public IReadOnlyCollection<string> Sections => _sections.Keys.ToList();

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(this, settings);

    private sealed class Provider : ConfigurationProvider
    {
        private readonly RecordingConfigurationSource _source;

        public Provider(RecordingConfigurationSource source, IReadOnlyDictionary<string, string?> settings)
        {
            _source = source;
            foreach (var (key, value) in settings)
            {
                Data[key] = value;
            }
        }

        public override bool TryGet(string key, out string? value)
        {
            _source._keys.TryAdd(key, 0);
            return base.TryGet(key, out value);
        }

        public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
        {
            if (parentPath is not null)
            {
                _source._sections.TryAdd(parentPath, 0);
            }

            return base.GetChildKeys(earlierKeys, parentPath);
        }
    }
}
