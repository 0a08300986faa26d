using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Infrastructure.Orchestration.Activities;

/// <summary>
/// Sends a notification: recorded under its message id, then handed to the channel, which keys
/// its delivery on the same id; a repeat records nothing new and delivers nothing twice.
/// </summary>
public sealed class NotifyActivity(NotificationLog notifications, INotificationChannel channel, TimeProvider clock) : EffectActivity<Effect.Notify>
{
    protected override async Task<EffectResult> CarryOutAsync(EffectWork work, Effect.Notify effect)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(effect);
        var notification = new DeliveredNotification(work.MessageId, work.Reference, effect.Kind, effect.Recipient.Role, effect.Recipient.Id, clock.GetUtcNow());
        await notifications.RecordAsync(notification).ConfigureAwait(false);
        await channel.DeliverAsync(notification).ConfigureAwait(false);
        return EffectResult.None;
    }
}
