using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using static HandInHand.Domain.Tests.Referrals.ReferralSubmissions;

namespace HandInHand.Domain.Tests.Referrals;

public class TrustedRelationshipsIntakeTests
{
    private static ReferralSubmission TrustedRelationships(TrustedRelationshipsSubmission? details = null, string referrerType = "social-care") =>
        WithReferrer(r => r with { Type = referrerType }) with
        {
            Service = "trusted-relationships",
            TrustedRelationships = details ?? new TrustedRelationshipsSubmission
            {
                ReferrerIsCaseHolder = true,
                CeraCompletedOn = "2026-11-02",
                MultiAgencyDiscussion = "mast",
                MultiAgencyDiscussionOn = "2026-11-16",
            },
        };

    private static ValidationResult Validate(ReferralSubmission s, IntakePolicy? policy = null) =>
        ReferralValidator.Validate(s, ReferralDate, policy ?? new IntakePolicy());

    [Fact]
    public void ACaseHoldersReferralWithACompletedCeraAndAMultiAgencyDiscussionIsAccepted()
    {
        var result = Validate(TrustedRelationships());

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(ServicePathway.TrustedRelationships, result.Form!.Pathway);
        Assert.Equal(new TrustedRelationshipsDetails(new DateOnly(2026, 11, 2), "mast", new DateOnly(2026, 11, 16)), result.Form.TrustedRelationships);
    }

    [Fact]
    public void AReferralWithoutAServiceIsForHandInHand()
    {
        Assert.Equal(ServicePathway.HandInHand, Validate(Valid()).Form!.Pathway);
    }

    [Theory]
    [InlineData("school")]
    [InlineData("police")]
    [InlineData("parent-carer")]
    public void OnlyChildrenAndFamiliesCaseHoldersMayRefer(string referrerType)
    {
        var result = Validate(TrustedRelationships(referrerType: referrerType));

        Assert.Equal("referrer.type", Assert.Single(result.Errors).Field);
    }

    [Fact]
    public void TheReferrerMustConfirmTheyHoldTheCase()
    {
        var result = Validate(TrustedRelationships(new TrustedRelationshipsSubmission { ReferrerIsCaseHolder = false, CeraCompletedOn = "2026-11-02", MultiAgencyDiscussion = "macem", MultiAgencyDiscussionOn = "2026-11-16" }));

        Assert.Equal("trustedRelationships.referrerIsCaseHolder", Assert.Single(result.Errors).Field);
    }

    [Fact]
    public void MissingCeraAndDiscussionAreEachReported()
    {
        var result = Validate(TrustedRelationships(new TrustedRelationshipsSubmission { ReferrerIsCaseHolder = true }));

        Assert.Equal(
            ["trustedRelationships.ceraCompletedOn", "trustedRelationships.multiAgencyDiscussion", "trustedRelationships.multiAgencyDiscussionOn"],
            result.Errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("2026-11-24", "mast", "2026-11-16", "trustedRelationships.ceraCompletedOn")]
    [InlineData("2026-11-02", "panel", "2026-11-16", "trustedRelationships.multiAgencyDiscussion")]
    [InlineData("2026-11-02", "mast", "16/11/2026", "trustedRelationships.multiAgencyDiscussionOn")]
    public void AFutureOrMalformedDateOrAnUnknownForumIsRejected(string cera, string forum, string discussed, string field)
    {
        var result = Validate(TrustedRelationships(new TrustedRelationshipsSubmission { ReferrerIsCaseHolder = true, CeraCompletedOn = cera, MultiAgencyDiscussion = forum, MultiAgencyDiscussionOn = discussed }));

        Assert.Equal(field, Assert.Single(result.Errors).Field);
    }

    [Fact]
    public void AnUnknownServiceOrADisabledPathwayIsRejected()
    {
        Assert.Equal("service", Assert.Single(Validate(Valid() with { Service = "other-service" }).Errors).Field);
        Assert.Equal("service", Validate(TrustedRelationships(), new IntakePolicy { TrustedRelationshipsEnabled = false }).Errors[0].Field);
    }

    [Fact]
    public void AHandInHandReferralCannotCarryTrustedRelationshipsDetails()
    {
        var s = Valid() with { TrustedRelationships = new TrustedRelationshipsSubmission { ReferrerIsCaseHolder = true } };

        Assert.Equal("trustedRelationships", Assert.Single(Validate(s).Errors).Field);
    }
}
