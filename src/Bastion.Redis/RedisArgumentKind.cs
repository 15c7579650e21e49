namespace Bastion.Redis;

internal enum RedisArgumentKind
{
    Bytes = 0,
    Text,
    Integer,
    Double,
}
