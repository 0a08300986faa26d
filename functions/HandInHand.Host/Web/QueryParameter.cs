namespace HandInHand.Host.Web;

/// <summary>
/// One query-string parameter an endpoint reads, declared on the endpoint itself (see
/// <see cref="QueryParameterEndpointExtensions.WithQueryParameter{TBuilder}"/>). The declaration is
/// the catalogue: <see cref="QueryValues"/> reads only declared names, the OpenAPI document lists
/// them, and the tests send bad values to every one of them.
/// </summary>
/// <param name="Name">The parameter's name in the query string, and the key of its field error.</param>
/// <param name="Example">A value the endpoint accepts, for the API description and for the tests.</param>
/// <param name="Description">What it means and what it takes, for the API description.</param>
public sealed record QueryParameter(string Name, string Example, string Description);
