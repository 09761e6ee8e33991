/// One output line of a terminal chart, kept as runs of text with an optional series
/// colour so the same layout prints with or without ANSI colours.
struct TerminalLine {
    /// A run of text in one colour (nil = terminal default).
    struct Run {
        var text: String
        var series: Int?
    }

    private(set) var runs: [Run] = []

    /// An empty line.
    init() {}

    /// A line of uncoloured text.
    init(_ text: String) { append(text) }

    /// Adds `text`, merging it into the last run when the colour matches.
    mutating func append(_ text: String, series: Int? = nil) {
        guard !text.isEmpty else { return }
        if let last = runs.last, last.series == series {
            runs[runs.count - 1].text += text
        } else {
            runs.append(Run(text: text, series: series))
        }
    }

    /// Display columns of the line.
    var columns: Int { runs.reduce(0) { $0 + DisplayWidth.columns($1.text) } }

    /// The line cut to `limit` columns (no ellipsis: only a too-narrow width gets here).
    func truncated(toColumns limit: Int) -> TerminalLine {
        var result = TerminalLine()
        var used = 0
        for run in runs {
            var kept = ""
            for character in run.text {
                let width = DisplayWidth.columns(of: character)
                if used + width > limit { break }
                kept.append(character)
                used += width
            }
            result.append(kept, series: run.series)
            if used >= limit { break }
        }
        return result
    }

    /// The final text, trailing spaces removed, coloured runs wrapped in ANSI codes when
    /// `color` is true.
    func rendered(color: Bool) -> String {
        var trimmed = runs
        while let last = trimmed.last {
            let text = String(last.text.reversed().drop { $0 == " " }.reversed())
            if text.isEmpty {
                trimmed.removeLast()
            } else {
                trimmed[trimmed.count - 1].text = text
                break
            }
        }
        var output = ""
        for run in trimmed {
            if color, let series = run.series, run.text.contains(where: { $0 != " " }) {
                output += ChartPalette.ansiColor(series) + run.text + ChartPalette.ansiReset
            } else {
                output += run.text
            }
        }
        return output
    }
}
