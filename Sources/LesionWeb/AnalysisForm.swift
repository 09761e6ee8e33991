import LesionCore

/// The form of one `lesion query` analysis: its options as fields, named exactly as
/// the command line names them (`?by=model` is `--by model`), so that a page's URL,
/// its JSON API and its equivalent command are one question.
struct AnalysisForm: Sendable {
    /// One option.
    struct Field: Sendable {
        enum Kind: Sendable {
            /// `--name VALUE`, with the command's default shown as a placeholder.
            case text(placeholder: String)
            /// `--name` alone.
            case flag
            /// `--name VALUE`, repeatable (`--where`).
            case repeated(placeholder: String)
        }

        var name: String
        var kind: Kind
        var help: String
    }

    /// The subcommand's name: `selectivity-importance`, ….
    var name: String
    /// The question it answers.
    var question: String
    var fields: [Field]

    static let models: [Field] = [
        Field(name: "experiment", kind: .text(placeholder: "any"), help: "Only models of this experiment"),
        Field(name: "model", kind: .text(placeholder: "any"), help: "Only the model with this name"),
        Field(name: "where", kind: .repeated(placeholder: "label_corruption<0.5"), help: "NAME=VALUE, NAME<VALUE or NAME>VALUE"),
        Field(name: "step", kind: .text(placeholder: "last"), help: "last, a step number, or all"),
    ]

    static let curves: [Field] = [
        Field(name: "perturbation", kind: .text(placeholder: "ablation"), help: "ablation or noise"),
        Field(name: "scope", kind: .text(placeholder: "all"), help: "all, a layer, or a list"),
        Field(name: "order", kind: .text(placeholder: "random"), help: "random, selectivity_desc, …"),
        Field(name: "metric", kind: .text(placeholder: "train_accuracy"), help: "Curve metric"),
    ]

    /// The analyses, in the command line's order.
    static let all: [AnalysisForm] = [
        AnalysisForm(
            name: "selectivity-importance", question: "Do interpretable (class-selective) units matter more than confusing ones?",
            fields: models + [
                Field(name: "selectivity", kind: .text(placeholder: "class_selectivity"), help: "Unit metric used as selectivity"),
                Field(name: "importance", kind: .text(placeholder: "accuracy_drop"), help: "accuracy_drop, loss_increase or a unit metric"),
                Field(name: "by", kind: .text(placeholder: "layer"), help: "layer, model, none, an attribute or a label"),
                Field(name: "fraction", kind: .text(placeholder: "0.2"), help: "0 < q ≤ 0.5"),
                Field(name: "threshold", kind: .text(placeholder: "none"), help: "Selective means S ≥ T, instead of fraction"),
            ]),
        AnalysisForm(
            name: "robustness-generalization", question: "Do networks that generalize rely less on single directions?",
            fields: models + curves + [
                Field(name: "by", kind: .text(placeholder: "label_corruption"), help: "Attributes to group by, comma-separated"),
                Field(name: "against", kind: .text(placeholder: "label_corruption"), help: "Attributes to correlate with"),
            ]),
        AnalysisForm(
            name: "curves", question: "What do the ablation (or noise) curves look like, group by group?",
            fields: models + curves + [
                Field(name: "by", kind: .text(placeholder: "label_corruption"), help: "Attribute to group by"),
                Field(name: "normalize", kind: .flag, help: "Divide each curve by its first value"),
            ]),
        AnalysisForm(
            name: "compare", question: "How does a unit metric differ between kinds of network?",
            fields: models + [
                Field(name: "metric", kind: .text(placeholder: "class_selectivity"), help: "Unit metric, accuracy_drop or loss_increase"),
                Field(name: "by", kind: .text(placeholder: "batch_norm"), help: "An attribute or a label; layer, model, none"),
            ]),
        AnalysisForm(
            name: "class-importance", question: "Does ablating a unit hurt the class it prefers most?",
            fields: models + [
                Field(name: "selectivity", kind: .text(placeholder: "class_selectivity"), help: "Unit metric used as selectivity"),
                Field(name: "by", kind: .text(placeholder: "layer"), help: "layer, model, none, an attribute or a label"),
                Field(name: "plot", kind: .text(placeholder: "hit-rate"), help: "hit-rate or scatter"),
            ]),
    ]

    /// The form named `name`.
    static func named(_ name: String) throws -> AnalysisForm {
        guard let form = all.first(where: { $0.name == name }) else {
            throw NotFoundError(description: "there is no analysis \"\(name)\"; the analyses are \(all.map(\.name).joined(separator: ", "))")
        }
        return form
    }

    /// The command-line arguments the parameters stand for, checked against the
    /// fields (the command's own parser checks the values).
    func arguments(_ parameters: QueryParameters) throws -> [String] {
        try parameters.requireOnly(fields.map(\.name))
        var arguments: [String] = []
        for (name, value) in parameters.pairs where !value.isEmpty {
            guard let field = fields.first(where: { $0.name == name }) else { continue }
            switch field.kind {
            case .flag:
                guard ["on", "true", "1"].contains(value) else {
                    throw UsageError("\(name)=\(value): a switch takes on, true or 1 (or is left out)")
                }
                if !arguments.contains("--" + name) { arguments.append("--" + name) }
            case .text, .repeated:
                // One word `--name=value`: a value that starts with `-` stays a value
                // and can never become another option (such as --db).
                arguments.append("--\(name)=\(value)")
            }
        }
        return arguments
    }

    /// `lesion query NAME ARGUMENTS…`, quoted for a POSIX shell.
    func command(_ arguments: [String]) -> String {
        (["lesion", "query", name] + arguments).map(AnalysisForm.shellQuoted).joined(separator: " ")
    }

    /// `text` as one shell word: bare when it is plain, else in single quotes.
    static func shellQuoted(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_./=:,".unicodeScalars.contains($0)
        }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
