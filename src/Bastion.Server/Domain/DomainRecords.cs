using System.Linq.Expressions;
using Bastion.Access;
using Bastion.Protection;
using Microsoft.EntityFrameworkCore;

namespace Bastion.Server.Domain;

/// <summary>
/// The access pattern every sample record follows: a record the caller may not read does not exist for them
/// (404, no existence leak); one they may read but not change answers 403.
/// </summary>
internal static class DomainRecords
{
    /// <summary>The live records of <paramref name="set"/> that <paramref name="subject"/> may <paramref name="action"/>.</summary>
    public static IQueryable<T> Allowed<T>(this IQueryable<T> set, AccessPolicy access, AccessSubject subject, string resource, string action)
        where T : class, IOwnedResource
        => set.Where(access.Filter<T>(subject, resource, action)).Where(Live<T>());

    /// <summary>Finds a record for a change: 404 when it is not readable, 403 when readable but not changeable.</summary>
    public static async Task<(T? Record, IResult? Refusal)> FindForChangeAsync<T>(
        this IQueryable<T> set, Guid id, AccessPolicy access, AccessSubject subject, string resource, string action, CancellationToken cancellationToken)
        where T : class, IOwnedResource
    {
        var record = await set.Allowed(access, subject, resource, "read").Where(HasId<T>(id)).FirstOrDefaultAsync(cancellationToken);
        if (record is null)
        {
            return (null, NotFound());
        }

        return access.Allows(subject, resource, action, record)
            ? (record, null)
            : (null, BastionProblems.Problem(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, $"You may read this record but not {action} it."));
    }

    public static IResult NotFound() => BastionProblems.Problem(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "No such record.");

    public static Expression<Func<T, bool>> HasId<T>(Guid id)
    {
        var record = Expression.Parameter(typeof(T), "record");
        return Expression.Lambda<Func<T, bool>>(Expression.Equal(Expression.Property(record, "Id"), Expression.Constant(id)), record);
    }

    private static Expression<Func<T, bool>> Live<T>()
    {
        var record = Expression.Parameter(typeof(T), "record");
        return Expression.Lambda<Func<T, bool>>(
            Expression.Equal(Expression.Property(record, "DeletedAt"), Expression.Constant(null, typeof(DateTimeOffset?))), record);
    }
}
