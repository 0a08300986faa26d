using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace HandInHand.Functions.Tests;

/// <summary>
/// Outside Development, no header a client can send makes it someone through the Functions path:
/// not App Service Authentication's principal headers (the app does not use Easy Auth, and a
/// client can forge them when it is off), not the development identity headers, and not a user
/// the worker's own request might carry. Only the app's own Entra sign-in does.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the pipeline through IAsyncLifetime.DisposeAsync.")]
public sealed class ForgedIdentityTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> ProductionSettings = new()
    {
        ["Notifications:DevelopmentMailboxPath"] = string.Empty,
        ["Intake:SecretKey"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
        ["Encryption:ActiveKeyId"] = "test-1",
        ["Encryption:Keys:0:Id"] = "test-1",
        ["Encryption:Keys:0:Key"] = Convert.ToBase64String(Enumerable.Range(40, 32).Select(i => (byte)i).ToArray()),
        ["Entra:TenantId"] = "8d3d5a0e-5d7b-4b8e-9a57-3c4d1f0a2b61",
        ["Entra:ClientId"] = "0f9c2a4e-6b1d-4e3f-8a7b-5c6d7e8f9a0b",
        ["Entra:ClientSecret"] = "test-client-secret",
        ["SendGrid:ApiKey"] = "SG.test-key",
        ["Notifications:BaseUrl"] = "https://handinhand.example.org/",
        ["Notifications:FromEmail"] = "referrals@example.org",
        ["Notifications:ManagerEmail"] = "manager@example.org",
    };

    /// <summary>What Easy Auth would set for a signed-in manager, as a client can type it.</summary>
    private static readonly Dictionary<string, string> EasyAuthHeaders = new()
    {
        ["X-MS-CLIENT-PRINCIPAL"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            """{"auth_typ":"aad","claims":[{"typ":"roles","val":"manager"},{"typ":"oid","val":"manager-1"}],"name_typ":"oid","role_typ":"roles"}""")),
        ["X-MS-CLIENT-PRINCIPAL-ID"] = "manager-1",
        ["X-MS-CLIENT-PRINCIPAL-NAME"] = "manager@example.org",
        ["X-MS-CLIENT-PRINCIPAL-IDP"] = "aad",
    };

    private static readonly Dictionary<string, string> DevelopmentHeaders = new()
    {
        ["X-Actor-Id"] = "manager-1",
        ["X-Actor-Role"] = "manager",
    };

    private readonly TestPipeline _functions = new("Production", ProductionSettings);

    public Task InitializeAsync() => _functions.StartAsync();

    public Task DisposeAsync() => _functions.DisposeAsync().AsTask();

    public static TheoryData<string> StaffRoutes => new() { "/api/staff/due", "/api/staff/caseloads", "/api/reports" };

    [Theory]
    [MemberData(nameof(StaffRoutes))]
    public async Task EasyAuthPrincipalHeadersFromAClientAreNotAnIdentity(string path)
    {
        var received = await InvokeAsync(path, EasyAuthHeaders);
        Assert.Equal(StatusCodes.Status401Unauthorized, received.Response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(StaffRoutes))]
    public async Task DevelopmentIdentityHeadersAreNotAnIdentityOutsideDevelopment(string path)
    {
        var received = await InvokeAsync(path, DevelopmentHeaders);
        Assert.Equal(StatusCodes.Status401Unauthorized, received.Response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(StaffRoutes))]
    public async Task AUserOnTheWorkersOwnRequestIsNotPassedToTheApp(string path)
    {
        // Whatever the worker's request says about its user (its middleware, or a platform header
        // someone turned into one), the app's request starts with nobody and asks its own sign-in.
        var manager = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, "manager-1"), new Claim(ClaimTypes.Role, "manager")], "worker"));
        var received = await InvokeAsync(path, EasyAuthHeaders, context => context.User = manager);
        Assert.Equal(StatusCodes.Status401Unauthorized, received.Response.StatusCode);
    }

    private Task<HttpContext> InvokeAsync(string path, IReadOnlyDictionary<string, string> headers, Action<HttpContext>? prepare = null)
    {
        var function = FunctionsMetadata.Functions.Single(f => f.Takes("GET", path));
        return _functions.InvokeAsync(function, "GET", path, headers, prepare);
    }
}
