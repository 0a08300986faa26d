using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace HandInHand.Infrastructure.Tables;

/// <summary>
/// Adds the headers every Table request carries. Runs per retry so that each attempt gets a
/// fresh <c>x-ms-date</c> (the SharedKeyLite signature covers it and the service rejects stale dates).
/// </summary>
internal sealed class TableHeadersPolicy(string serviceVersion, TimeProvider clock) : HttpPipelineSynchronousPolicy
{
    internal const string DateHeader = "x-ms-date";
    internal const string JsonMinimalMetadata = "application/json;odata=minimalmetadata";

    public override void OnSendingRequest(HttpMessage message)
    {
        var headers = message.Request.Headers;
        headers.SetValue("x-ms-version", serviceVersion);
        headers.SetValue(DateHeader, clock.GetUtcNow().ToString("R", CultureInfo.InvariantCulture));
        headers.SetValue("DataServiceVersion", "3.0;NetFx");
        headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        if (!headers.Contains(HttpHeader.Names.Accept))
        {
            // minimalmetadata, not nometadata: only it returns the "@odata.type" annotations that
            // tell Int64, DateTime, Guid and Binary values apart from plain strings.
            headers.Add(HttpHeader.Names.Accept, JsonMinimalMetadata);
        }
    }
}
