using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Host.Referrals;

/// <summary>
/// What a referrer may do to the referral they made: withdraw it, answer a request for more
/// information, confirm that a waiting referral is still needed. A referrer has no account
/// (PRODUCT.md §2), so the power comes from the referral's reference and access code, checked
/// before anything else; the history records the act as the referrer's. The API and the status
/// page both come through here.
/// </summary>
public sealed class ReferrerActions(ReferralIntake intake, ReferralWorkflowStore store, ReferralCommands commands, TimeProvider clock)
{
    /// <summary>
    /// Who acts, as the history records it: a stable id that is no person's, since the referrer's
    /// identity is their name and email in the (encrypted) form, which must not be copied into history.
    /// </summary>
    public static readonly Actor Referrer = new("referrer", Role.Referrer);

    /// <summary>The referral and its step, when <paramref name="accessCode"/> is its code; otherwise null.</summary>
    public async Task<ReferrerView?> FindAsync(string? reference, string? accessCode, CancellationToken cancellationToken = default)
    {
        var record = await intake.FindForReferrerAsync(reference, accessCode, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return null;
        }

        var loaded = await store.LoadAsync(record.Reference, cancellationToken).ConfigureAwait(false);
        return new ReferrerView(record, loaded?.State.Stage ?? Stage.AwaitingTriage);
    }

    /// <summary>Runs <paramref name="action"/> for the holder of the referral's code.</summary>
    public async Task<ReferrerActionResult> RunAsync(string? reference, string? accessCode, ReferrerAction action, string? commandKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);

        // The code first: a caller without it learns nothing, not even whether the body was valid.
        var found = await intake.FindForReferrerAsync(reference, accessCode, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return new ReferrerActionResult.NotFound();
        }

        if (action.Check() is { Count: > 0 } errors)
        {
            return new ReferrerActionResult.Invalid(errors);
        }

        try
        {
            await commands.SendAsync(found.Reference, action.ToCommand(Referrer, clock.GetUtcNow()), commandKey, cancellationToken).ConfigureAwait(false);
            var after = await intake.FindForReferrerAsync(found.Reference, accessCode, cancellationToken).ConfigureAwait(false) ?? found;
            return new ReferrerActionResult.Done(after);
        }
        catch (CommandPendingException)
        {
            // Queued and will be applied: the status as it stands, which will show it shortly.
            return new ReferrerActionResult.Pending(found);
        }
        catch (CommandRejectedException ex) when (ex.Kind == RejectionKind.Invalid)
        {
            return new ReferrerActionResult.Invalid([new FieldError(ex.Field ?? "body", ex.Message)]);
        }
        catch (CommandRejectedException)
        {
            // Not at a step where the referrer can do this (the decider's message names the step
            // and role, which the referrer's own status already tells them in their own terms).
            return new ReferrerActionResult.NotNow(found);
        }
    }
}
