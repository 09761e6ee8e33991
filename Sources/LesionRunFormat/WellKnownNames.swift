/// The names the contract gives a meaning to, and what is checked about each.
///
/// Beyond the contract's table, two checks follow from the meanings it gives:
/// `ablated_test_loss` is a test loss, so it must be ≥ 0 like `test_loss`; and the
/// metrics defined per unit (`class_selectivity`, `mutual_information`,
/// `ablated_test_accuracy`, `ablated_test_loss`, and the four model metrics when
/// given per unit) must be one number per unit, while `class_means` and
/// `ablated_class_accuracy` must be one vector of `classes` numbers per unit.
/// The turn-2 names: `concept`, `concept_category` and `explanation` are labels;
/// `concept_iou`, `activation_frequency` (fractions) and `explanation_score` (−1 to
/// 1) are numbers; the checkpoint metric `class_accuracy` is one fraction per class.
enum WellKnownNames {
    /// The range of a checkpoint or curve metric, or of a unit metric of that name.
    static func metricRange(_ name: String) -> ValueRange? {
        switch name {
        case "train_accuracy", "test_accuracy": .fraction
        case "train_loss", "test_loss": .nonNegative
        default: nil
        }
    }

    /// Checkpoint metrics that are one number per class (`class_accuracy`), with
    /// their range; every other well-known checkpoint metric is one number.
    static func classMetricRange(_ name: String) -> ValueRange?? {
        switch name {
        case "class_accuracy": .some(.fraction)
        default: nil
        }
    }

    /// The shape a unit metric must have.
    enum UnitShape {
        /// One number per unit.
        case scalar
        /// One vector of `classes` numbers per unit.
        case perClass
        /// One label (string or null) per unit.
        case text
    }

    /// What the contract fixes about a unit metric: its shape and range, when known.
    static func unitMetric(_ name: String) -> (shape: UnitShape?, range: ValueRange?) {
        switch name {
        case "class_selectivity": (.scalar, nil)
        case "mutual_information": (.scalar, .nonNegative)
        case "ablated_test_accuracy": (.scalar, .fraction)
        case "ablated_test_loss": (.scalar, .nonNegative)
        case "train_accuracy", "test_accuracy", "train_loss", "test_loss": (.scalar, metricRange(name))
        case "class_means": (.perClass, nil)
        case "ablated_class_accuracy": (.perClass, .fraction)
        case "concept", "concept_category", "explanation": (.text, nil)
        case "concept_iou", "activation_frequency": (.scalar, .fraction)
        case "explanation_score": (.scalar, .signedFraction)
        default: (nil, nil)
        }
    }

    /// Checks a well-known attribute. `value` is as stored (NaN already made null);
    /// `wasNaN` says the input spelled it `NaN`, which a boolean does not accept.
    static func checkAttribute(
        _ name: String, _ value: AttributeValue, wasNaN: Bool, at path: String
    ) throws(RunFormatError) {
        switch name {
        case "label_corruption":
            try checkNumber(name, value, .fraction, at: path)
        case "dropout":
            try checkNumber(name, value, .fractionBelowOne, at: path)
        case "batch_norm":
            switch value {
            case .bool: return
            case .null where !wasNaN: return
            default:
                throw RunFormatError(
                    path: path, message: "batch_norm must be true, false or null, found \(describe(value, wasNaN))")
            }
        default:
            return
        }
    }

    private static func checkNumber(
        _ name: String, _ value: AttributeValue, _ range: ValueRange, at path: String
    ) throws(RunFormatError) {
        switch value {
        case .null:
            return
        case .number(let number):
            guard range.contains(number) else {
                throw RunFormatError(path: path, message: range.violation(name, number))
            }
        case .bool, .text:
            throw RunFormatError(
                path: path, message: "\(name) must be a number or null, found \(describe(value, false))")
        }
    }

    private static func describe(_ value: AttributeValue, _ wasNaN: Bool) -> String {
        switch value {
        case .number(let number): "the number \(JSONText.documentNumber(number))"
        case .bool(let flag): flag ? "true" : "false"
        case .text: "a string"
        case .null: wasNaN ? "NaN" : "null"
        }
    }
}
