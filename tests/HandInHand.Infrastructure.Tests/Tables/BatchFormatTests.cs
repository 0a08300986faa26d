using System.Text;
using HandInHand.Infrastructure.Tables;

namespace HandInHand.Infrastructure.Tests.Tables;

/// <summary>The multipart $batch format, on captured replies that the live tests cannot provoke.</summary>
public sealed class BatchFormatTests
{
    [Fact]
    public void ARequestHoldsOneChangesetWithAbsoluteInnerRequestsAndCrlfLineEnds()
    {
        byte[] body = TableBatch.WriteRequest("batch_b", "changeset_c",
        [
            new BatchOperation("POST", "http://h/acct/t", null, "{}"u8.ToArray(), PreferNoContent: true),
            new BatchOperation("DELETE", "http://h/acct/t(PartitionKey='p',RowKey='r')", "*", null, PreferNoContent: false),
        ]);
        string text = Encoding.UTF8.GetString(body);

        Assert.StartsWith("--batch_b\r\nContent-Type: multipart/mixed; boundary=changeset_c\r\n\r\n--changeset_c\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nPOST http://h/acct/t HTTP/1.1\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nDELETE http://h/acct/t(PartitionKey='p',RowKey='r') HTTP/1.1\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nIf-Match: *\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nPrefer: return-no-content\r\n", text, StringComparison.Ordinal);
        Assert.Equal(2, text.Split("Content-Transfer-Encoding: binary").Length - 1);
        Assert.EndsWith("--changeset_c--\r\n--batch_b--\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", text.Replace("\r\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void AnInnerFailureIsReadWithItsStatusCodeAndActionIndex()
    {
        const string reply =
            "--batchresponse_1\r\nContent-Type: multipart/mixed; boundary=changesetresponse_2\r\n\r\n"
            + "--changesetresponse_2\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
            + "HTTP/1.1 409 Conflict\r\nContent-ID: 2\r\nContent-Type: application/json;odata=minimalmetadata;charset=utf-8\r\n\r\n"
            + "{\"odata.error\":{\"code\":\"EntityAlreadyExists\",\"message\":{\"lang\":\"en-US\",\"value\":\"1:The specified entity already exists.\\nRequestId:x\"}}}\r\n"
            + "--changesetresponse_2--\r\n--batchresponse_1--\r\n";

        var response = Assert.Single(TableBatch.ReadResponse("multipart/mixed; boundary=batchresponse_1", reply));
        var (code, message) = TableErrors.ParseErrorBody(response.Body);

        Assert.Equal(409, response.Status);
        Assert.Equal("EntityAlreadyExists", code);
        Assert.Equal(1, TableBatch.FailedIndex(message));
    }

    [Fact]
    public void AzuritesOverlongChangesetReplyWithAStrayBoundaryLineIsStillRead()
    {
        // Captured from Azurite 3.37.0 for a changeset of 101 operations: the boundary is repeated
        // (without dashes) between the part headers and the status line.
        const string reply =
            "--batchresponse_1\r\nContent-Type: multipart/mixed; boundary=changesetresponse_2\r\n\r\n"
            + "--changesetresponse_2\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
            + "changesetresponse_2\r\nHTTP/1.1 400 Bad Request\r\nX-Content-Type-Options: nosniff\r\nDataServiceVersion: 3.0;\r\n"
            + "Content-Type: application/json;odata=minimalmetadata;charset=utf-8\r\n\r\n"
            + "{\"odata.error\":{\"code\":\"InvalidInput\",\"message\":{\"lang\":\"en-US\",\"value\":\"0:The batch request operation exceeds the maximum 100 changes per change set.\"}}}\r\n"
            + "--changesetresponse_2--\r\n--batchresponse_1--\r\n";

        var response = Assert.Single(TableBatch.ReadResponse("multipart/mixed; boundary=batchresponse_1", reply));

        Assert.Equal(400, response.Status);
        Assert.Equal("InvalidInput", TableErrors.ParseErrorBody(response.Body).Code);
    }

    [Fact]
    public void SuccessfulPartsKeepTheirETagsInOrder()
    {
        const string reply =
            "--batchresponse_1\r\nContent-Type: multipart/mixed; boundary=changesetresponse_2\r\n\r\n"
            + "--changesetresponse_2\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
            + "HTTP/1.1 204 No Content\r\nETag: W/\"one\"\r\n\r\n\r\n"
            + "--changesetresponse_2\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
            + "HTTP/1.1 204 No Content\r\nDataServiceVersion: 1.0;\r\n\r\n\r\n"
            + "--changesetresponse_2\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
            + "HTTP/1.1 204 No Content\r\nETag: W/\"three\"\r\n\r\n\r\n"
            + "--changesetresponse_2--\r\n--batchresponse_1--\r\n";

        var responses = TableBatch.ReadResponse("multipart/mixed; boundary=batchresponse_1", reply);

        Assert.Equal([204, 204, 204], responses.Select(r => r.Status));
        Assert.Equal("W/\"one\"", responses[0].Headers["ETag"]);
        Assert.False(responses[1].Headers.ContainsKey("ETag"));
        Assert.Equal("W/\"three\"", responses[2].Headers["ETag"]);
    }
}
