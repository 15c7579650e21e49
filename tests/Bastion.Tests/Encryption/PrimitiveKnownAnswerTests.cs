using System.Security.Cryptography;
using System.Text;

namespace Bastion.Tests.Encryption;

/// <summary>
/// The platform primitives under FieldCipher and BlindIndex, against published vectors: AES-256-GCM test cases
/// 13–16 of McGrew and Viega, "The Galois/Counter Mode of Operation" (the vectors NIST SP 800-38D points to),
/// and HMAC-SHA-256 test cases from RFC 4231 §4.
/// </summary>
public sealed class PrimitiveKnownAnswerTests
{
    private const string GcmKey = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
    private const string GcmIv = "cafebabefacedbaddecaf888";
    private const string GcmPlaintext =
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
        + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
    private const string GcmCiphertext =
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
        + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";

    public static TheoryData<string, string, string, string, string, string, string> GcmVectors => new()
    {
        // Test case 13: zero key and IV, empty plaintext and AAD.
        { "13", new string('0', 64), new string('0', 24), "", "", "", "530f8afbc74536b9a963b4f1c4cb738b" },
        // Test case 14: one zero block.
        { "14", new string('0', 64), new string('0', 24), new string('0', 32), "", "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919" },
        // Test case 15: four blocks, no AAD.
        { "15", GcmKey, GcmIv, GcmPlaintext, "", GcmCiphertext, "b094dac5d93471bdec1a502270e3cc6c" },
        // Test case 16: 60 bytes with AAD.
        { "16", GcmKey, GcmIv, GcmPlaintext[..120], "feedfacedeadbeeffeedfacedeadbeefabaddad2", GcmCiphertext[..120], "76fc6ece0f4e1768cddf8853bb2d551b" },
    };

    [Theory]
    [MemberData(nameof(GcmVectors))]
    public void AesGcm256_MatchesGcmSpecificationVector(string testCase, string key, string iv, string plaintext, string aad, string ciphertext, string tag)
    {
        Assert.NotEmpty(testCase);
        using var aes = new AesGcm(Convert.FromHexString(key), 16);
        var actualCiphertext = new byte[plaintext.Length / 2];
        var actualTag = new byte[16];

        aes.Encrypt(Convert.FromHexString(iv), Convert.FromHexString(plaintext), actualCiphertext, actualTag, Convert.FromHexString(aad));

        Assert.Equal(ciphertext, Convert.ToHexStringLower(actualCiphertext));
        Assert.Equal(tag, Convert.ToHexStringLower(actualTag));
        var decrypted = new byte[actualCiphertext.Length];
        aes.Decrypt(Convert.FromHexString(iv), actualCiphertext, actualTag, decrypted, Convert.FromHexString(aad));
        Assert.Equal(plaintext, Convert.ToHexStringLower(decrypted));
    }

    public static TheoryData<string, string, string, string> HmacVectors => new()
    {
        { "1", string.Concat(Enumerable.Repeat("0b", 20)), Hex("Hi There"), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
        { "2", Hex("Jefe"), Hex("what do ya want for nothing?"), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
        { "3", string.Concat(Enumerable.Repeat("aa", 20)), string.Concat(Enumerable.Repeat("dd", 50)), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
        { "4", "0102030405060708090a0b0c0d0e0f10111213141516171819", string.Concat(Enumerable.Repeat("cd", 50)), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
        { "6", string.Concat(Enumerable.Repeat("aa", 131)), Hex("Test Using Larger Than Block-Size Key - Hash Key First"), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
        {
            "7", string.Concat(Enumerable.Repeat("aa", 131)),
            Hex("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        },
    };

    [Theory]
    [MemberData(nameof(HmacVectors))]
    public void HmacSha256_MatchesRfc4231Vector(string testCase, string key, string data, string mac)
    {
        Assert.NotEmpty(testCase);

        Assert.Equal(mac, Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromHexString(key), Convert.FromHexString(data))));
    }

    private static string Hex(string ascii) => Convert.ToHexStringLower(Encoding.ASCII.GetBytes(ascii));
}
