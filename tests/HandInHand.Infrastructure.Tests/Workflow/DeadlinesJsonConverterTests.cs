using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Infrastructure.Tests.Workflow;

/// <summary>
/// A referral's timers and missed deadlines are read and written by their own converter: the stored
/// form must stay the one the default converters wrote, so that every stored state and card reads
/// as before, and a name that is not a timer kind is refused, as before.
/// </summary>
public sealed class DeadlinesJsonConverterTests
{
    private static readonly DateTimeOffset At = new DateTimeOffset(2026, 12, 3, 2, 50, 32, TimeSpan.Zero).AddTicks(2364408);

    /// <summary>The options as they were before the converter: the same resolver, the enum converter alone.</summary>
    private static readonly JsonSerializerOptions Default = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        Converters = { new JsonStringEnumConverter() },
    };

    private static CaseCard Card(ImmutableSortedDictionary<TimerKind, DateTimeOffset> timers, ImmutableSortedDictionary<TimerKind, DateTimeOffset> missed) =>
        new("HH-2026-00042", Stage.Active, ServicePathway.HandInHand, "Selby", RiskLevel.High, At, "practitioner-1", null, At.AddDays(30), timers, missed, []);

    public static TheoryData<int, int> Sizes => new() { { 0, 0 }, { 1, 0 }, { 2, 1 }, { 11, 11 } };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void ACardIsStoredAsTheDefaultConvertersStoredItAndReadsBackTheSame(int timerCount, int missedCount)
    {
        var kinds = Enum.GetValues<TimerKind>();
        var timers = kinds.Take(timerCount).Select((k, i) => KeyValuePair.Create(k, At.AddHours(i).ToOffset(TimeSpan.FromHours(i % 2))));
        var missed = kinds.Reverse().Take(missedCount).Select((k, i) => KeyValuePair.Create(k, At.AddMinutes(-i)));
        var card = Card(ImmutableSortedDictionary.CreateRange(timers), ImmutableSortedDictionary.CreateRange(missed));

        var stored = WorkflowJson.Serialize(card);

        Assert.Equal(JsonSerializer.Serialize(card, Default), stored);
        var read = WorkflowJson.Deserialize<CaseCard>(stored);
        Assert.True(CaseCard.Same(card, read));
        Assert.Equal(card.Timers.Select(t => t.Value.Offset), read.Timers.Select(t => t.Value.Offset));
        Assert.True(CaseCard.Same(JsonSerializer.Deserialize<CaseCard>(stored, Default), read));
    }

    [Theory]
    [InlineData("{\"NoSuchTimer\":\"2026-12-03T02:50:32+00:00\"}")]
    [InlineData("{\"3\":\"2026-12-03T02:50:32+00:00\"}")]
    [InlineData("{\"firstContactDeadline\":\"2026-12-03T02:50:32+00:00\"}")]
    [InlineData("{\"FirstContactDeadline\":\"not a time\"}")]
    [InlineData("[]")]
    public void WhatIsNotATimerKindAndATimeIsRefused(string timers)
    {
        var stored = WorkflowJson.Serialize(Card(ImmutableSortedDictionary<TimerKind, DateTimeOffset>.Empty, ImmutableSortedDictionary<TimerKind, DateTimeOffset>.Empty)).Replace("\"timers\":{}", "\"timers\":" + timers, StringComparison.Ordinal);

        Assert.ThrowsAny<Exception>(() => WorkflowJson.Deserialize<CaseCard>(stored));
    }
}
