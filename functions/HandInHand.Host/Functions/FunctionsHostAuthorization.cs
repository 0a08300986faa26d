using System.Net;
using HandInHand.Host.Security;
using Microsoft.AspNetCore.Authorization;

namespace HandInHand.Host.Functions;

/// <summary>
/// The caller is the Functions host: the app runs as its custom handler (<c>FUNCTIONS_CUSTOMHANDLER_PORT</c>
/// is set), and the request came over loopback to that port. Run standalone, the handler paths refuse
/// everyone. Public requests forwarded by the host also arrive over loopback, which is why no HTTP
/// function's route may match a handler path (a test checks every function.json).
/// </summary>
public sealed class FunctionsHostRequirement : IAuthorizationRequirement;

/// <summary>Decides <see cref="FunctionsHostRequirement"/>.</summary>
public sealed class FunctionsHostHandler(IConfiguration config) : AuthorizationHandler<FunctionsHostRequirement>
{
    public const string PortSetting = "FUNCTIONS_CUSTOMHANDLER_PORT";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, FunctionsHostRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Resource is HttpContext http
            && int.TryParse(config[PortSetting], out var port)
            && http.Connection.LocalPort == port
            && http.Connection.RemoteIpAddress is { } remote
            && IPAddress.IsLoopback(remote))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Registers <see cref="Policies.FunctionsHost"/>.</summary>
public static class FunctionsHostAuthorization
{
    public static IServiceCollection AddFunctionsHostPolicy(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationHandler, FunctionsHostHandler>();
        services.AddAuthorizationBuilder().AddPolicy(Policies.FunctionsHost, p => p.AddRequirements(new FunctionsHostRequirement()));
        return services;
    }
}
