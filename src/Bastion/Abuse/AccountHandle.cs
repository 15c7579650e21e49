using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Bastion.Validation;

namespace Bastion.Abuse;

/// <summary>
/// The name sign-in defences give an account: a hash of the normalized e-mail as typed, whether or not such an
/// account exists. It keeps e-mail addresses out of state-store keys and device cookies, and it treats an unknown
/// account exactly like a known one.
/// </summary>
internal static class AccountHandle
{
    public static string Of(string? email)
        => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(EmailAddress.Normalize(email ?? string.Empty))))[..22];
}
