import Foundation
import XCTest

/// A test case with a fresh temporary folder for its documents, removed afterwards.
class TemporaryFolderTestCase: XCTestCase {
    /// The folder of the running test.
    var folder: URL!

    override func setUpWithError() throws {
        try super.setUpWithError()
        folder = try SampleDocuments.temporaryFolder()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
        try super.tearDownWithError()
    }
}
