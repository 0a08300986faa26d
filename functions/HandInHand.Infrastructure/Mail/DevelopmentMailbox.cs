using System.Security.Cryptography;
using System.Text;

namespace HandInHand.Infrastructure.Mail;

/// <summary>
/// The development stand-in for SendGrid: each message becomes an RFC 5322 <c>.eml</c> file in a
/// folder, which a mail client or the development pages can open. Nothing leaves the machine.
/// </summary>
/// <remarks>
/// The file name comes from the message id alone, so sending the same message again (a retry, a
/// replayed outbox) overwrites its file instead of adding a second one. A file is written under a
/// temporary name and then moved into place, so a reader never sees half a message. The file's
/// last-write time is set from the injected clock and is what <see cref="List"/> reports and sorts by.
/// </remarks>
public sealed class DevelopmentMailbox : IEmailSender
{
    private const string Extension = ".eml";
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly TimeProvider _clock;

    /// <summary>Creates a mailbox writing into <paramref name="folder"/> (created on the first send).</summary>
    /// <param name="folder">The folder for the <c>.eml</c> files.</param>
    /// <param name="clock">The clock for the <c>Date</c> header and the written time; <see cref="TimeProvider.System"/> when null.</param>
    public DevelopmentMailbox(string folder, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = Path.GetFullPath(folder);
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The folder, as a full path.</summary>
    public string Folder { get; }

    /// <summary>Writes the message to <c>&lt;folder&gt;/&lt;file name from the message id&gt;.eml</c> and returns <see cref="SendResult.Accepted"/> with the file name.</summary>
    public async Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();

        var now = _clock.GetUtcNow();
        string fileName = FileName(message.MessageId);
        string path = Path.Combine(Folder, fileName);
        string temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        Directory.CreateDirectory(Folder);
        try
        {
            await File.WriteAllTextAsync(temporary, EmlFormat.Write(message, now), Utf8NoBom, cancellationToken).ConfigureAwait(false);
            File.SetLastWriteTimeUtc(temporary, now.UtcDateTime);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }

        return new SendResult.Accepted(fileName);
    }

    /// <summary>Every message in the folder, newest first.</summary>
    public IReadOnlyList<StoredEmail> List()
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }

        var stored = new List<StoredEmail>();
        foreach (string path in Directory.EnumerateFiles(Folder))
        {
            if (!string.Equals(Path.GetExtension(path), Extension, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            Dictionary<string, string> headers;
            DateTime written;
            try
            {
                using (var reader = new StreamReader(path, Utf8NoBom))
                {
                    headers = EmlFormat.ReadHeaders(reader);
                }

                written = File.GetLastWriteTimeUtc(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Moved or deleted while we looked: it is simply not listed.
                continue;
            }

            stored.Add(new StoredEmail(
                MessageIdFrom(headers.GetValueOrDefault("Message-ID")) ?? Path.GetFileNameWithoutExtension(path),
                EmlFormat.DecodeWords(headers.GetValueOrDefault("To") ?? string.Empty),
                EmlFormat.DecodeWords(headers.GetValueOrDefault("Subject") ?? string.Empty),
                path,
                new DateTimeOffset(DateTime.SpecifyKind(written, DateTimeKind.Utc))));
        }

        return [.. stored.OrderByDescending(e => e.Written).ThenBy(e => e.Path, StringComparer.Ordinal)];
    }

    /// <summary>The whole <c>.eml</c> text of a message, or null if there is none (or the id is not a valid message id).</summary>
    public string? Read(string messageId)
    {
        if (string.IsNullOrEmpty(messageId) || messageId.Length > MailGuards.MaxMessageIdLength || !messageId.All(MailGuards.IsMessageIdCharacter))
        {
            return null;
        }

        string path = Path.Combine(Folder, FileName(messageId));
        try
        {
            return File.ReadAllText(path, Utf8NoBom);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// A readable part (the id with '|' and a leading '.' replaced) plus a hash of the exact id, so
    /// that two ids never share a file, even on a case-insensitive file system.
    /// </summary>
    internal static string FileName(string messageId)
    {
        var readable = new StringBuilder(messageId.Length);
        foreach (char c in messageId)
        {
            readable.Append(c is '|' || (c == '.' && readable.Length == 0) ? '_' : c);
        }

        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(messageId)))[..12];
        return readable + "-" + hash + Extension;
    }

    private static string? MessageIdFrom(string? header)
    {
        if (header is null)
        {
            return null;
        }

        string value = header.Trim().TrimStart('<').TrimEnd('>');
        int at = value.LastIndexOf('@');
        return at > 0 ? value[..at] : null;
    }
}
