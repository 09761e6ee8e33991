/// The frame of every page: head, navigation and the stylesheet, which is served
/// from the binary at `/style.css` (the Content-Security-Policy allows no inline style).
enum Layout {
    /// The navigation's sections.
    enum Section: String {
        case models, query, sql
    }

    /// A whole HTML document around `body` (already escaped HTML).
    static func page(title: String, section: Section?, body: String) -> String {
        func item(_ href: String, _ label: String, _ current: Bool) -> String {
            "<a href=\"\(href)\"\(current ? " aria-current=\"page\"" : "")>\(label)</a>"
        }
        let analyses = AnalysisForm.all.map { form in
            item("/query/\(form.name)", HTML.escape(form.name), section == .query && title == form.name)
        }.joined(separator: " ")
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) · lesion</title>
            <link rel="stylesheet" href="/style.css">
            </head>
            <body>
            <header><nav><strong class="brand">lesion</strong> \(item("/models", "Models", section == .models)) <span class="sep">Analyses:</span> \(analyses) \(item("/sql", "SQL", section == .sql))</nav></header>
            <main>
            \(body)
            </main>
            </body>
            </html>

            """
    }

    /// The stylesheet: readable at laptop width, tables that scroll sideways when wide.
    static let stylesheet = """
        :root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --accent: #0b5cad; --soft: #f6f8fa; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
        header { background: var(--soft); border-bottom: 1px solid var(--line); padding: 0.6rem 1.5rem; }
        nav a { margin-right: 0.9rem; color: var(--accent); text-decoration: none; }
        nav a[aria-current] { font-weight: 600; text-decoration: underline; }
        nav .brand { margin-right: 1.2rem; font-size: 1.1rem; }
        nav .sep { color: var(--muted); margin-right: 0.4rem; }
        main { padding: 1rem 1.5rem 3rem; max-width: 1320px; }
        h1 { font-size: 1.5rem; margin: 0.5rem 0 0.8rem; overflow-wrap: anywhere; }
        h2 { font-size: 1.15rem; margin: 1.6rem 0 0.5rem; border-bottom: 1px solid var(--line); padding-bottom: 0.2rem; }
        h3 { font-size: 1rem; margin: 1rem 0 0.4rem; }
        a { color: var(--accent); }
        .scroll { overflow-x: auto; max-width: 100%; }
        table { border-collapse: collapse; font-size: 0.9rem; margin: 0.4rem 0; }
        th, td { border-bottom: 1px solid var(--line); padding: 0.25rem 0.7rem; text-align: left; vertical-align: top; white-space: pre; }
        th { background: var(--soft); font-weight: 600; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr:hover td { background: #fbfcfd; }
        form.filters { display: flex; flex-wrap: wrap; gap: 0.6rem 1rem; align-items: flex-end; background: var(--soft); border: 1px solid var(--line); padding: 0.8rem; border-radius: 6px; }
        form.filters label { display: flex; flex-direction: column; font-size: 0.8rem; color: var(--muted); }
        form.filters label.wide { flex: 1 1 100%; }
        form.filters label.check { flex-direction: row; gap: 0.3rem; align-items: center; }
        input, select, textarea, button { font: inherit; font-size: 0.9rem; }
        input[type=text] { width: 11rem; padding: 0.2rem 0.3rem; }
        textarea { width: 100%; min-height: 6rem; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
        button { padding: 0.3rem 0.9rem; background: var(--accent); color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
        code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.85rem; }
        pre.cli { background: var(--soft); border: 1px solid var(--line); padding: 0.5rem 0.7rem; white-space: pre-wrap; overflow-wrap: anywhere; }
        p.answer { font-size: 1.1rem; font-weight: 600; background: #eef6ee; border-left: 4px solid #2e7d32; padding: 0.5rem 0.8rem; }
        p.error { font-size: 1.05rem; background: #fdeeee; border-left: 4px solid #c62828; padding: 0.5rem 0.8rem; overflow-wrap: anywhere; white-space: pre-wrap; }
        p.note, .muted { color: var(--muted); }
        .side-by-side { display: flex; flex-wrap: wrap; gap: 0 2rem; align-items: flex-start; }
        .side-by-side h2 { margin-top: 0.8rem; }
        .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 0.8rem; }
        .charts.wide { grid-template-columns: repeat(auto-fill, minmax(600px, 1fr)); }
        figure { margin: 0; }
        svg { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
        .pager a, .pager span { margin-right: 0.8rem; }
        """
}
