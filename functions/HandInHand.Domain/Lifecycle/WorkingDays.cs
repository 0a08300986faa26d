namespace HandInHand.Domain.Lifecycle;

/// <summary>Working-day arithmetic: Monday to Friday, keeping the time of day.</summary>
public static class WorkingDays
{
    /// <summary>The moment <paramref name="days"/> working days after <paramref name="from"/>.</summary>
    public static DateTimeOffset Add(DateTimeOffset from, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var result = from;
        while (days > 0)
        {
            result = result.AddDays(1);
            if (result.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                days--;
            }
        }

        return result;
    }
}
