using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Bastion.Storage;

/// <summary>Maps every property to the snake_case column the SQL scripts use (<c>NormalizedEmail</c> → <c>normalized_email</c>).</summary>
public static class SnakeCaseColumns
{
    public static void Apply(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(t => t.GetProperties()))
        {
            property.SetColumnName(Name(property.Name));
        }
    }

    public static string Name(string propertyName)
    {
        ArgumentNullException.ThrowIfNull(propertyName);
        var builder = new StringBuilder(propertyName.Length + 4);
        for (var i = 0; i < propertyName.Length; i++)
        {
            if (char.IsUpper(propertyName[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(propertyName[i]));
        }

        return builder.ToString();
    }
}
