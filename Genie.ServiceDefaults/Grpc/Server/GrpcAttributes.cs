namespace Genie.ServiceDefaults.Grpc.Server;

/// <summary>The rpc needs no bearer token (health only).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class AllowAnonymousCallAttribute : Attribute;

/// <summary>The caller must hold one of these roles, else PERMISSION_DENIED. Checked before the handler runs.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class RequireRoleAttribute(params string[] roles) : Attribute
{
    public IReadOnlyList<string> Roles { get; } = roles;
}

/// <summary>Overrides the maximum request message size for one rpc (e.g. uploads).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MaxReceiveMessageSizeAttribute(int bytes) : Attribute
{
    public int Bytes { get; } = bytes;
}
