using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Workflow;
using Microsoft.AspNetCore.Antiforgery;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// What a case-page form says about its step, in plain words: while the command is still queued,
/// when the case has moved past the step (the words before ": the case is at the step ..."), and
/// when the caller's role may not take it.
/// </summary>
internal sealed record StepWords(string Pending, string CannotNow, string NotAllowedHeading, string NotAllowedText = "Your role may not take this step.");

/// <summary>
/// The one way a case-page form shows the outcome of its command, sent through
/// <see cref="ReferralCommands"/> as the API's is: done, back to the case with the step's word
/// (<see cref="StaffPages.RecordedQuery"/>); still queued (202), the case with a notice; the
/// referral gone (404), the not-found page; refused as invalid (400), the form again with the error
/// beside its field; not the caller's role (403), a page that says so; the case moved on (409),
/// the case as it stands now, with a notice naming its step.
/// </summary>
/// <param name="show">Renders the case page for a state, with extras and a status code, as the posting page renders it.</param>
internal sealed class StepOutcome(
    HttpContext context, IAntiforgery antiforgery, ReferralWorkflowStore store, LoadedReferral loaded, Func<ReferralState, CasePageExtras, int, Task<IResult>> show)
{
    /// <summary>
    /// Runs <paramref name="send"/> and answers with the page for its outcome. <paramref name="invalid"/>
    /// gives the form to send back with the decider's field error (its field, or
    /// <paramref name="defaultField"/> when it names none); the form needs a new idempotency key there,
    /// as the old one names the refused command.
    /// </summary>
    public async Task<IResult> SendAsync(
        Func<Task> send, string recordedWord, StepWords words, string defaultField, Func<FieldError, CasePageExtras> invalid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(invalid);
        var reference = loaded.State.Reference;
        try
        {
            await send();
            return Results.Redirect($"{StaffLayout.CasePath(reference)}?{StaffPages.RecordedQuery}={recordedWord}");
        }
        catch (CommandPendingException)
        {
            return await show(loaded.State, new CasePageExtras(words.Pending), StatusCodes.Status202Accepted);
        }
        catch (ReferralNotFoundException)
        {
            return StaffPages.NotFoundPage(context, antiforgery);
        }
        catch (CommandRejectedException ex) when (ex.Kind == RejectionKind.Invalid)
        {
            return await show(loaded.State, invalid(new FieldError(ex.Field ?? defaultField, ex.Message)), StatusCodes.Status400BadRequest);
        }
        catch (CommandRejectedException ex) when (ex.Kind == RejectionKind.NotAllowed)
        {
            return StaffLayout.Page(context, antiforgery, "Not allowed",
                $"<h1>{Web.Html.E(words.NotAllowedHeading)}</h1>\n<p>{Web.Html.E(words.NotAllowedText)}</p>\n", StatusCodes.Status403Forbidden);
        }
        catch (CommandRejectedException)
        {
            // The case moved on (the step taken by someone else meanwhile, or the case closed): say so, and show it as it is now.
            var now = await store.LoadAsync(reference, cancellationToken) ?? loaded;
            var notice = $"{words.CannotNow}: the case is at the step \"{PlainWords.Of(now.State.Stage)}\". The case as it stands is below.";
            return await show(now.State, new CasePageExtras(notice), StatusCodes.Status409Conflict);
        }
    }
}
