using System.Security.Cryptography;
using System.Xml.Linq;
using HandInHand.Infrastructure.Protection;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace HandInHand.Host.Setup;

/// <summary>
/// Opens a key secret sealed by <see cref="FieldXmlEncryptor"/>. The key ring creates it from the
/// type name stored with the key, through this constructor, so it finds the field encryption in the app's services.
/// </summary>
public sealed class FieldXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    private readonly FieldEncryption _encryption = services.GetRequiredService<FieldEncryption>();

    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var value = (string?)encryptedElement.Element("value") ?? throw new CryptographicException("A sealed key secret has no value.");
        return XElement.Parse(_encryption.Decrypt(value, FieldXmlEncryptor.Context));
    }
}
