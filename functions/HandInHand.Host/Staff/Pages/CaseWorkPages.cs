using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Host.Audit;
using HandInHand.Host.Referrals;
using HandInHand.Host.Security;
using HandInHand.Host.Web;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Workflow;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// The case holder's steps after first contact, posted from the case page: a session, a review, the safe
/// contact channel, the young person's opt-out of the survey, and closing the case. Each is checked
/// field by field as the API's request is (nothing is sent while a field is wrong), then sent through
/// <see cref="ReferralCommands"/>, whose decider says whether the step fits and who may take it; the
/// outcome is shown by <see cref="StepOutcome"/>. The routes carry the API's policy, and a case not
/// open to the caller is answered as one that does not exist.
/// </summary>
public static class CaseWorkPages
{
    private const string SessionRecorded = "session";
    private const string ReviewRecorded = "review";
    private const string ChannelRecorded = "contact-channel";
    private const string OptOutRecorded = "survey-opt-out";
    private const string Closed = "closed";

    /// <summary>What the case page says after each of these steps, by the word its query carries.</summary>
    internal static IReadOnlyDictionary<string, string> Notices { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [SessionRecorded] = "Session recorded.",
        [ReviewRecorded] = "Review recorded.",
        [ChannelRecorded] = "Contact channel saved.",
        [OptOutRecorded] = "Recorded that the young person does not want the survey.",
        [Closed] = "Case closed.",
    };

    public static IEndpointRouteBuilder MapCaseWorkPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup(StaffLayout.HomePath).ExcludeFromDescription();
        pages.MapPost("cases/{reference}/" + PractitionerForms.SessionAction, RecordSessionAsync).RequireAuthorization(Policies.CaseWork).WithMetadata(new AuditedAttribute());
        pages.MapPost("cases/{reference}/" + PractitionerForms.ReviewAction, RecordReviewAsync).RequireAuthorization(Policies.CaseWork).WithMetadata(new AuditedAttribute());
        pages.MapPost("cases/{reference}/" + PractitionerForms.ContactChannelAction, RecordContactChannelAsync).RequireAuthorization(Policies.CaseWork).WithMetadata(new AuditedAttribute());
        pages.MapPost("cases/{reference}/" + PractitionerForms.SurveyOptOutAction, OptOutOfSurveyAsync).RequireAuthorization(Policies.CaseWork).WithMetadata(new AuditedAttribute());
        pages.MapPost("cases/{reference}/" + PractitionerForms.CloseAction, CloseAsync).RequireAuthorization(Policies.CaseWork).WithMetadata(new AuditedAttribute());
        return app;
    }

    /// <summary>POST /staff/cases/{reference}/session: the day it was held, how, and a short note.</summary>
    public static Task<IResult> RecordSessionAsync(string reference, HttpContext context, IAntiforgery antiforgery, ReferralWorkflowStore store, ReferralStore referrals,
        ReferralCommands commands, TimeProvider clock, IOptions<IntakeOptions> intake, CancellationToken cancellationToken) =>
        new Step(reference, context, antiforgery, store, referrals, clock, intake.Value, cancellationToken).RunAsync(
            SessionRecorded,
            new StepWords("The session is being recorded. It can take a moment: open the case again shortly to see it.", "A session cannot be recorded now", "You cannot record a session on this case"),
            SessionInput.DateField,
            (form, actor, at, _) =>
            {
                var input = form is null ? null : SessionInput.From(form);
                var extras = new CasePageExtras { Session = input };
                if (input is null)
                {
                    return (null, [], extras, _ => extras);
                }

                var (heldOn, kind, note, errors) = input.Parse();
                Func<Task> send = () => commands.SendAsync(reference, new ReferralCommand.RecordSession(actor, at, heldOn, kind, note), Key(input.CommandKey), cancellationToken);
                return (errors.Count > 0 ? null : send, errors, extras, error => extras with { Session = input with { CommandKey = NewKey() }, FieldErrors = [error] });
            });

    /// <summary>POST /staff/cases/{reference}/review: My Wheel, the Traffic Light Tracker and the risk now.</summary>
    public static Task<IResult> RecordReviewAsync(string reference, HttpContext context, IAntiforgery antiforgery, ReferralWorkflowStore store, ReferralStore referrals,
        ReferralCommands commands, TimeProvider clock, IOptions<IntakeOptions> intake, IOptions<LifecycleSettings> lifecycle, CancellationToken cancellationToken) =>
        new Step(reference, context, antiforgery, store, referrals, clock, intake.Value, cancellationToken).RunAsync(
            ReviewRecorded,
            new StepWords("The review is being recorded. It can take a moment: open the case again shortly to see it.", "A review cannot be recorded now", "You cannot record a review on this case"),
            ReviewInput.MyWheelField,
            (form, actor, at, _) =>
            {
                var input = form is null ? null : ReviewInput.From(form, lifecycle.Value.EffectiveMyWheelDomains);
                var extras = new CasePageExtras { Review = input };
                if (input is null)
                {
                    return (null, [], extras, _ => extras);
                }

                var (wheel, lights, risk, errors) = input.Parse();
                Func<Task> send = () => commands.SendAsync(reference, new ReferralCommand.RecordReview(actor, at, wheel, lights, risk), Key(input.CommandKey), cancellationToken);
                return (errors.Count > 0 ? null : send, errors, extras, error => extras with { Review = input with { CommandKey = NewKey() }, FieldErrors = [error] });
            });

    /// <summary>
    /// POST /staff/cases/{reference}/contact-channel: as the API's does, the step is decided first, so
    /// a refused request stores no address; a step still queued keeps the address rather than lose it.
    /// </summary>
    public static Task<IResult> RecordContactChannelAsync(string reference, HttpContext context, IAntiforgery antiforgery, ReferralWorkflowStore store, ReferralStore referrals,
        ReferralCommands commands, ContactChannels channels, TimeProvider clock, IOptions<IntakeOptions> intake, CancellationToken cancellationToken) =>
        new Step(reference, context, antiforgery, store, referrals, clock, intake.Value, cancellationToken).RunAsync(
            ChannelRecorded,
            new StepWords("The contact channel is being saved. It can take a moment: open the case again shortly to see it.", "The contact channel cannot be saved now", "You cannot set the contact channel on this case"),
            ContactChannelInput.ChannelField,
            (form, actor, at, _) =>
            {
                var input = form is null ? null : ContactChannelInput.From(form);
                var extras = new CasePageExtras { ContactChannel = input };
                if (input is null)
                {
                    return (null, [], extras, _ => extras);
                }

                var (record, errors) = input.Parse();
                if (record is null)
                {
                    return (null, errors, extras, _ => extras);
                }

                async Task Send()
                {
                    try
                    {
                        await commands.SendAsync(reference, new ReferralCommand.RecordContactChannel(actor, at, record.Channel, record.MarkedSafe), Key(input.CommandKey), cancellationToken);
                    }
                    catch (CommandPendingException)
                    {
                        await channels.SetAsync(reference, record, cancellationToken);
                        throw;
                    }

                    await channels.SetAsync(reference, record, cancellationToken);
                }

                return (Send, errors, extras, error => extras with { ContactChannel = input with { CommandKey = NewKey() }, FieldErrors = [error] });
            });

    /// <summary>POST /staff/cases/{reference}/survey-opt-out: the young person does not want the survey.</summary>
    public static Task<IResult> OptOutOfSurveyAsync(string reference, HttpContext context, IAntiforgery antiforgery, ReferralWorkflowStore store, ReferralStore referrals,
        ReferralCommands commands, TimeProvider clock, IOptions<IntakeOptions> intake, CancellationToken cancellationToken) =>
        new Step(reference, context, antiforgery, store, referrals, clock, intake.Value, cancellationToken).RunAsync(
            OptOutRecorded,
            new StepWords("The opt-out is being recorded. It can take a moment: open the case again shortly to see it.", "The opt-out cannot be recorded now", "You cannot record the survey opt-out on this case"),
            "body",
            (form, actor, at, _) =>
            {
                string? key = form?[FirstContactInput.CommandKeyField];
                return (() => commands.SendAsync(reference, new ReferralCommand.OptOutOfSurvey(actor, at), Key(key), cancellationToken), [], CasePageExtras.None, _ => CasePageExtras.None);
            });

    /// <summary>POST /staff/cases/{reference}/close: the reason, the final My Wheel (needed once support has started) and the risk at closure.</summary>
    public static Task<IResult> CloseAsync(string reference, HttpContext context, IAntiforgery antiforgery, ReferralWorkflowStore store, ReferralStore referrals,
        ReferralCommands commands, TimeProvider clock, IOptions<IntakeOptions> intake, IOptions<LifecycleSettings> lifecycle, CancellationToken cancellationToken) =>
        new Step(reference, context, antiforgery, store, referrals, clock, intake.Value, cancellationToken).RunAsync(
            Closed,
            new StepWords("The case is being closed. It can take a moment: open the case again shortly to see it.", "The case cannot be closed now", "You cannot close this case"),
            CloseInput.ReasonField,
            (form, actor, at, state) =>
            {
                var input = form is null ? null : CloseInput.From(form, lifecycle.Value.EffectiveMyWheelDomains);
                var extras = new CasePageExtras { Close = input };
                if (input is null)
                {
                    return (null, [], extras, _ => extras);
                }

                var (reason, wheel, risk, errors) = input.Parse(wheelRequired: state.Stage == Stage.Active);
                Func<Task> send = () => commands.SendAsync(reference, new ReferralCommand.Close(actor, at, reason, wheel, risk), Key(input.CommandKey), cancellationToken);
                return (errors.Count > 0 ? null : send, errors, extras, error => extras with { Close = input with { CommandKey = NewKey() }, FieldErrors = [error] });
            });

    private static string? Key(string? key) => IdempotencyKeys.Check(key) is null ? key : null;

    private static string NewKey() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// One posted step: the case open to the caller, the form read, the antiforgery check, the field
    /// errors, then the command and its outcome through <see cref="StepOutcome"/>. The form's own part
    /// is a function from the posted form to the command to send (none while a field is wrong), its
    /// field errors, the form to send back, and the form to send back with the decider's field error.
    /// </summary>
    private sealed record Step(
        string Reference, HttpContext Context, IAntiforgery Antiforgery, ReferralWorkflowStore Store, ReferralStore Referrals, TimeProvider Clock, IntakeOptions Intake,
        CancellationToken CancellationToken)
    {
        public async Task<IResult> RunAsync(
            string recordedWord, StepWords words, string defaultField,
            Func<IFormCollection?, Actor, DateTimeOffset, ReferralState, (Func<Task>? Send, IReadOnlyList<FieldError> Errors, CasePageExtras Extras, Func<FieldError, CasePageExtras> Invalid)> read)
        {
            var loaded = await StaffPages.LoadOpenToCallerAsync(Reference, Context, Store, CancellationToken);
            if (loaded is null)
            {
                return StaffPages.NotFoundPage(Context, Antiforgery);
            }

            var form = await ReferralPages.ReadFormAsync(Context, 8192, CancellationToken);
            var (send, errors, extras, invalid) = read(form, ActorHeaders.From(Context.Request)!, Clock.GetUtcNow(), loaded.State);
            if (form is null || !await Antiforgery.IsRequestValidAsync(Context))
            {
                // An expired page: the typed values come back, so nothing is lost.
                return await PageAsync(loaded.State, extras with { Notice = "The page had expired. Check the details and send the form again." }, StatusCodes.Status400BadRequest);
            }

            if (errors.Count > 0 || send is null)
            {
                return await PageAsync(loaded.State, extras with { FieldErrors = errors }, StatusCodes.Status400BadRequest);
            }

            return await new StepOutcome(Context, Antiforgery, Store, loaded, PageAsync).SendAsync(send, recordedWord, words, defaultField, invalid, CancellationToken);
        }

        private Task<IResult> PageAsync(ReferralState state, CasePageExtras extras, int status) =>
            StaffPages.CasePageAsync(Context, Antiforgery, state, Referrals, Store, Clock, Intake, extras, status, CancellationToken);
    }
}
