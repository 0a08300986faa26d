using System.Text;
using System.Text.Encodings.Web;

namespace HandInHand.Host.Web;

/// <summary>
/// Server-rendered pages: one layout, HTML-encoded text, no scripts and nothing from another
/// host. Pages use landmarks, a skip link and labelled controls so they work with a keyboard
/// and a screen reader.
/// </summary>
public static class Html
{
    /// <summary>HTML-encodes text for element content and attribute values.</summary>
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? string.Empty);

    /// <summary>A whole page around <paramref name="main"/>.</summary>
    public static IResult Page(string title, string main, int statusCode = StatusCodes.Status200OK) => Page(title, main, statusCode, neutral: false);

    /// <summary>
    /// A whole page; a <paramref name="neutral"/> one (the young person's survey) names neither the
    /// service nor its purpose and links nowhere else, for whoever may be looking over their shoulder.
    /// </summary>
    public static IResult Page(string title, string main, int statusCode, bool neutral)
    {
        var header = neutral
            ? "<header><p class=\"service\">Your views</p></header>\n"
            : "<header><p class=\"service\"><a href=\"/\">HandInHand</a></p></header>\n";
        return PageWithHeader(title + (neutral ? string.Empty : " – HandInHand"), header, main, statusCode);
    }

    /// <summary>
    /// A whole page with a header of the caller's own (the staff pages' navigation and sign-out);
    /// <paramref name="fullTitle"/> is the document title as it stands, <paramref name="header"/> trusted HTML.
    /// </summary>
    public static IResult PageWithHeader(string fullTitle, string header, string main, int statusCode)
    {
        var html = new StringBuilder(main.Length + 2048)
            .Append("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Append("<title>").Append(E(fullTitle)).Append("</title>\n<link rel=\"stylesheet\" href=\"").Append(StylesheetPath).Append("\">\n</head>\n<body>\n")
            .Append("<a class=\"skip\" href=\"#main\">Skip to main content</a>\n")
            .Append(header)
            .Append("<main id=\"main\" tabindex=\"-1\">\n").Append(main).Append("\n</main>\n")
            .Append("</body>\n</html>\n")
            .ToString();
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }

    /// <summary>Where the one stylesheet is served: pages carry no inline style or script, so the CSP can forbid both.</summary>
    public const string StylesheetPath = "/assets/site.css";

    /// <summary>Serves the stylesheet.</summary>
    public static IEndpointRouteBuilder MapStylesheet(this IEndpointRouteBuilder app)
    {
        app.MapGet(StylesheetPath, (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(Styles, "text/css; charset=utf-8");
        }).ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    /// <summary>
    /// Browsers ask for <c>/favicon.ico</c> on every site. The app has no icon: the answer is an
    /// anonymous, cacheable 204, rather than a sign-in challenge for a request nobody made on purpose.
    /// </summary>
    public static IEndpointRouteBuilder MapFavicon(this IEndpointRouteBuilder app)
    {
        app.MapGet("/favicon.ico", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.NoContent();
        }).ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    private const string Styles = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;font-size:1.1rem;line-height:1.5;margin:0;color:#0b0c0c;background:#fff}
        header{background:#1d3557;color:#fff;padding:.5rem 1rem}header a{color:#fff;font-weight:bold;text-decoration:none}
        main{max-width:46rem;margin:0 auto;padding:1rem}
        .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
        .skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#ffdd00;color:#0b0c0c;padding:.5rem;z-index:1}
        label,legend{display:block;font-weight:bold;margin-top:1rem}
        .hint{color:#505a5f;margin:.2rem 0}
        input[type=text],input[type=email],input[type=tel],input[type=date],select,textarea{font:inherit;width:100%;max-width:30rem;padding:.3rem;border:2px solid #0b0c0c;box-sizing:border-box}
        textarea{min-height:6rem}
        fieldset{border:0;padding:0;margin:1.5rem 0 0}
        .option{display:flex;gap:.5rem;align-items:flex-start;margin:.3rem 0}.option label{font-weight:normal;margin:0}
        .option input{width:1.4rem;height:1.4rem;margin:0}
        :focus{outline:3px solid #ffdd00;outline-offset:0;box-shadow:0 0 0 5px #0b0c0c}
        .error-message{color:#b10e1e;font-weight:bold;margin:.2rem 0}
        .field-error input,.field-error select,.field-error textarea{border-color:#b10e1e}
        .error-summary{border:4px solid #b10e1e;padding:1rem;margin:1rem 0}.error-summary a{color:#b10e1e}
        .panel{background:#00703c;color:#fff;padding:1.5rem;margin:1rem 0;text-align:center}.panel strong{font-size:2rem;display:block}
        .code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.4rem;letter-spacing:.1rem}
        button{font:inherit;font-weight:bold;background:#00703c;color:#fff;border:0;padding:.6rem 1.2rem;margin-top:1.5rem;box-shadow:0 2px 0 #002d18;cursor:pointer}
        h2{margin-top:2rem;border-bottom:1px solid #b1b4b6}
        dl div{display:flex;gap:1rem}dt{font-weight:bold;min-width:10rem}dd{margin:0}
        table{border-collapse:collapse;margin:1rem 0;width:100%}caption{text-align:left;font-weight:bold}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #b1b4b6}
        .chart{margin:1.5rem 0}.chart figcaption{font-weight:bold}.chart-svg{width:100%;height:auto}
        .chart-svg text{font-size:13px;fill:#0b0c0c}.chart-svg .axis-label{font-weight:bold}.chart-svg .axis{stroke:#0b0c0c;stroke-width:1}
        .chart-svg .bar{fill:#1d70b8}.chart-svg .bar-after{fill:#00703c}.chart-svg .line{fill:none;stroke:#1d70b8;stroke-width:2}
        form.range{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end}form.range label{margin:0}form.range button{margin:0}
        .staff-bar{display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;align-items:center;justify-content:space-between}.staff-bar p{margin:0}
        nav.staff ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}nav.staff a[aria-current=page]{text-decoration:underline}
        nav.staff a,.staff-bar .service a{display:inline-block;padding:.15rem 0}
        .who{font-size:1rem}.who p,.who form{display:inline}.who button{margin:0 0 0 .5rem;padding:.2rem .6rem;background:#fff;color:#1d3557;box-shadow:none}
        .table-scroll{overflow-x:auto;max-width:100%}.table-scroll table{min-width:32rem}.table-scroll caption{position:sticky;left:0;max-width:calc(100vw - 2rem)}
        dd{overflow-wrap:anywhere}@media (max-width:40rem){dl div{display:block}}
        .date-input{display:flex;flex-wrap:wrap;gap:1rem}.date-input div{display:flex;flex-direction:column}.date-input label{margin-top:.3rem;font-weight:normal}
        .date-input input[type=text]{width:4rem}.date-input .year input[type=text]{width:6rem}input.time{max-width:6rem}input.score{max-width:4rem}select{font:inherit;padding:.3rem;max-width:100%}
        .notice{border-left:6px solid #1d70b8;padding:.5rem 1rem;margin:1rem 0;background:#f3f2f1}.overdue{color:#b10e1e;font-weight:bold}
        """;
}
