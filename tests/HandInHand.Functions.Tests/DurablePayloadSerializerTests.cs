using System.Text.Json;
using HandInHand.Domain.Workflow;
using HandInHand.Functions.Hosting;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Protection;
using Microsoft.Azure.Functions.Worker;

namespace HandInHand.Functions.Tests;

/// <summary>
/// The worker's serializer, from which the isolated Durable extension makes its DataConverter:
/// durable payloads are written exactly as the local host writes them, encrypted; the worker's own
/// binding data stays plain JSON.
/// </summary>
public sealed class DurablePayloadSerializerTests
{
    private static readonly FieldEncryption Encryption = new(new EncryptionOptions
    {
        ActiveKeyId = "test-1",
        Keys = [new EncryptionKeyOptions { Id = "test-1", Key = Convert.ToBase64String(Enumerable.Range(40, 32).Select(i => (byte)i).ToArray()) }],
    });

    private static readonly EncryptingDataConverter Converter = new(Encryption);

    private static readonly EffectWork Work = new("HH-20260101-0001", 3, 0, DateTimeOffset.Parse("2026-01-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture), new Effect.RefreshProjections());

    [Fact]
    public void ADurablePayloadIsWrittenAsTheLocalHostWritesItAndNothingOfItIsReadable()
    {
        var written = new DurablePayloadSerializer(Converter).Serialize(Work).ToString();
        Assert.DoesNotContain(Work.Reference, written, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(written).RootElement.ValueKind);
        Assert.Equal(Work, Converter.Deserialize(written, typeof(EffectWork)));
    }

    [Fact]
    public void WhatTheLocalHostWroteIsReadUnderTheFunctionsHost()
    {
        var written = Converter.Serialize(Work)!;
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(written));
        Assert.Equal(Work, new DurablePayloadSerializer(Converter).Deserialize(stream, typeof(EffectWork), default));
    }

    [Fact]
    public void TheWorkersTimerStatusStaysPlainJson()
    {
        Assert.True(DurablePayloadSerializer.IsBindingData(typeof(TimerInfo)));
        Assert.False(DurablePayloadSerializer.IsBindingData(typeof(EffectWork)));
        Assert.False(DurablePayloadSerializer.IsBindingData(typeof(bool)));
        const string status = """{"ScheduleStatus":{"Last":"2026-01-01T09:00:00Z","Next":"2026-01-01T09:15:00Z"},"IsPastDue":false}""";
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(status));
        var timer = (TimerInfo)new DurablePayloadSerializer(Converter).Deserialize(stream, typeof(TimerInfo), default)!;
        Assert.False(timer.IsPastDue);
    }
}
