using Microsoft.OpenApi;

namespace HandInHand.Host.Web;

/// <summary>Declares an endpoint's query-string parameters (see <see cref="QueryParameter"/>).</summary>
public static class QueryParameterEndpointExtensions
{
    /// <summary>Declares that the endpoint reads <paramref name="name"/> from the query string, and describes it in the OpenAPI document.</summary>
    public static TBuilder WithQueryParameter<TBuilder>(this TBuilder builder, string name, string example, string description)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.WithMetadata(new QueryParameter(name, example, description));

        // The handlers read the query through QueryValues rather than binding parameters, so the
        // framework cannot describe these itself.
        builder.AddOpenApiOperationTransformer((operation, context, cancellationToken) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Query,
                Required = false,
                Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                Example = System.Text.Json.Nodes.JsonValue.Create(example),
            });
            return Task.CompletedTask;
        });
        return builder;
    }
}
