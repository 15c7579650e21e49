namespace Bastion.Validation;

/// <summary>
/// Offset paging's bounds. The page number is bounded as well as the page size, and the offset is computed in
/// 64 bits, so no page number reaches the database as a negative or wrapped-around OFFSET (a 500 on PostgreSQL,
/// page one's rows on SQLite).
/// </summary>
public static class Paging
{
    /// <summary>
    /// The highest page number an offset-paged list serves. Deeper pages make the database read and discard every
    /// row before them; a client that needs more narrows its search instead.
    /// </summary>
    public const int MaxPage = 10_000;

    /// <summary>The number of rows before <paramref name="page"/>; refuses a page outside the bounds rather than wrap.</summary>
    public static int Offset(int page, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(page, MaxPage);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        return checked((int)(((long)page - 1) * pageSize));
    }
}
