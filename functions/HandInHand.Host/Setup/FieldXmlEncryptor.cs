using System.Xml.Linq;
using HandInHand.Infrastructure.Protection;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace HandInHand.Host.Setup;

/// <summary>
/// Seals each data-protection key's secret with the app's field encryption key before the key
/// ring stores it, so the stored XML holds no key material in the clear (and ASP.NET Core no
/// longer warns that keys may be persisted unencrypted). <see cref="FieldXmlDecryptor"/> opens it.
/// </summary>
public sealed class FieldXmlEncryptor(FieldEncryption encryption) : IXmlEncryptor
{
    /// <summary>Bound into every sealed secret, so a ciphertext from another field does not open as a key.</summary>
    internal const string Context = "DataProtectionKeys|secret";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var sealedSecret = new XElement("encryptedKey",
            new XComment(" Sealed with the app's field encryption key (Encryption:Keys). "),
            new XElement("value", encryption.Encrypt(plaintextElement.ToString(SaveOptions.DisableFormatting), Context)));
        return new EncryptedXmlInfo(sealedSecret, typeof(FieldXmlDecryptor));
    }
}
