using System.Data.Common;

namespace Bastion.Storage;

/// <summary>Parameters for provider-neutral ADO.NET commands: every value travels as a parameter, never in the text.</summary>
internal static class DbCommandParameters
{
    public static void AddParameter(this DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
