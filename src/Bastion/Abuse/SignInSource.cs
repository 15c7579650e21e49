using System.Net;

namespace Bastion.Abuse;

/// <summary>Where a sign-in comes from: the client address, and the device id of a valid device cookie bound to the account.</summary>
public sealed record SignInSource(IPAddress? Address, string? DeviceId);
