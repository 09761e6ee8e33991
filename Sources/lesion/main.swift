import ArgumentParser
import Foundation
import LesionCore
import LesionStore

// The entry point maps failures to exit codes that scripts can trust:
// 0 success, 1 a runtime failure (or some documents refused), 2 a usage error.
do {
    var command = try Lesion.parseAsRoot()
    try command.run()
} catch {
    Lesion.finish(with: error)
}
