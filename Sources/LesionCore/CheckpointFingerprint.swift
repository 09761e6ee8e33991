import LesionRunFormat

/// The SHA-256 of a checkpoint's content in a canonical binary form: what makes
/// "already stored with the same content" a single comparison.
///
/// Every number enters as its bit pattern, with every NaN (undefined) one pattern
/// and −0 as +0 (export need not keep the sign of a zero), so that a checkpoint that
/// went through the database and back has the same fingerprint. Strings enter with
/// their length, so that no two different contents run together.
enum CheckpointFingerprint {
    static func hex(_ checkpoint: Checkpoint) -> String {
        var hash = SHA256()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)

        func flush() {
            hash.update(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
        func integer(_ value: Int) {
            withUnsafeBytes(of: Int64(value).littleEndian) { buffer.append(contentsOf: $0) }
        }
        func text(_ value: String) {
            integer(value.utf8.count)
            buffer.append(contentsOf: value.utf8)
        }
        func numbers(_ values: [Double]) {
            integer(values.count)
            for value in values {
                let canonical: UInt64 = value.isNaN ? 0x7FF8_0000_0000_0000 : (value == 0 ? 0 : value.bitPattern)
                withUnsafeBytes(of: canonical.littleEndian) { buffer.append(contentsOf: $0) }
            }
            if buffer.count > 1 << 16 { flush() }
        }

        text("lesion.checkpoint/1")
        integer(checkpoint.step)
        integer(checkpoint.metrics.count)
        for metric in checkpoint.metrics {
            text(metric.name)
            numbers([metric.value])
        }
        integer(checkpoint.units.count)
        for unit in checkpoint.units {
            text(unit.layer)
            text(unit.name)
            switch unit.values {
            case .scalars(let values):
                integer(0)
                numbers(values)
            case .perClass(let values, let classes):
                integer(classes)
                numbers(values)
            case .labels(let labels):
                // −1 marks labels; a nil label is length −1, so it differs from any text.
                integer(-1)
                integer(labels.count)
                for label in labels {
                    if let label { text(label) } else { integer(-1) }
                }
                if buffer.count > 1 << 16 { flush() }
            }
        }
        integer(checkpoint.curves.count)
        for curve in checkpoint.curves {
            text(curve.perturbation.rawValue)
            text(CurveScopeText.encode(curve.scope))
            text(curve.order ?? "")
            integer(curve.order == nil ? 0 : 1)
            integer(curve.seed)
            numbers(curve.x)
            integer(curve.metrics.count)
            for metric in curve.metrics {
                text(metric.name)
                numbers(metric.values)
            }
        }
        // Added in schema v3; left out when empty, so that every checkpoint stored
        // before keeps its fingerprint.
        if !checkpoint.classMetrics.isEmpty {
            text("class metrics")
            integer(checkpoint.classMetrics.count)
            for metric in checkpoint.classMetrics {
                text(metric.name)
                numbers(metric.values)
            }
        }
        flush()
        return hash.finalizeHex()
    }
}
