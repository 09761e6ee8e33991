#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// A source of bytes read in chunks: a file, standard input, or a gzip stream
/// over either. Reading in chunks keeps memory bounded by the largest document.
protocol ByteStream: AnyObject {
    /// Reads up to `buffer.count` bytes; returns 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Why an input could not be read.
public struct InputError: Error, Sendable, CustomStringConvertible {
    /// The file as the user named it.
    public var source: String
    /// What went wrong, in plain words.
    public var reason: String

    public var description: String { "\(source): \(reason)" }
}

/// A file (or standard input) read with stdio.
final class FileByteStream: ByteStream {
    private let file: UnsafeMutablePointer<FILE>
    private let ownsFile: Bool
    let name: String

    /// Opens `path` for reading; `-` is standard input.
    init(path: String) throws {
        name = path
        if path == "-" {
            // A stream of its own over descriptor 0 (the global `stdin` is shared
            // mutable state that Swift 6 will not touch); never closed.
            guard let input = fdopen(STDIN_FILENO, "rb") else {
                throw InputError(source: "-", reason: "cannot read standard input")
            }
            file = input
            ownsFile = false
        } else {
            guard let opened = fopen(path, "rb") else {
                throw InputError(source: path, reason: "cannot open: \(String(cString: strerror(errno)))")
            }
            file = opened
            ownsFile = true
        }
    }

    deinit {
        if ownsFile { fclose(file) }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let count = fread(base, 1, buffer.count, file)
        if count == 0, ferror(file) != 0 {
            throw InputError(source: name, reason: "read failed: \(String(cString: strerror(errno)))")
        }
        return count
    }
}

/// Inflates a gzip (or zlib) stream, including files made of several gzip members.
final class GzipByteStream: ByteStream {
    private let upstream: ByteStream
    private let name: String
    private var stream = z_stream()
    private var input = [UInt8](repeating: 0, count: 1 << 16)
    private var inputStart = 0
    private var inputEnd = 0
    private var upstreamDone = false
    private var finished = false

    init(upstream: ByteStream, name: String) throws {
        self.upstream = upstream
        self.name = name
        // 15 + 32: the largest window, with gzip or zlib header detected.
        let code = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard code == Z_OK else {
            throw InputError(source: name, reason: "cannot start gzip decompression (zlib error \(code))")
        }
    }

    deinit {
        inflateEnd(&stream)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let outBase = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while !finished {
            if inputStart == inputEnd && !upstreamDone {
                let count = try input.withUnsafeMutableBytes { try upstream.read(into: $0) }
                inputStart = 0
                inputEnd = count
                if count == 0 { upstreamDone = true }
            }
            let available = inputEnd - inputStart
            let (code, consumed, produced) = input.withUnsafeMutableBufferPointer { inBuffer -> (Int32, Int, Int) in
                stream.next_in = inBuffer.baseAddress.map { $0 + inputStart }
                stream.avail_in = UInt32(available)
                stream.next_out = outBase.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
                let code = inflate(&stream, Z_NO_FLUSH)
                return (code, available - Int(stream.avail_in), buffer.count - Int(stream.avail_out))
            }
            inputStart += consumed
            switch code {
            case Z_OK, Z_BUF_ERROR:
                if produced > 0 { return produced }
                if upstreamDone && inputStart == inputEnd {
                    throw InputError(source: name, reason: "the gzip data ends early (truncated file?)")
                }
            case Z_STREAM_END:
                // Another gzip member may follow; skip trailing zero padding.
                if inputStart == inputEnd && !upstreamDone {
                    let count = try input.withUnsafeMutableBytes { try upstream.read(into: $0) }
                    inputStart = 0
                    inputEnd = count
                    if count == 0 { upstreamDone = true }
                }
                if inputStart < inputEnd {
                    inflateReset(&stream)
                } else {
                    finished = true
                }
                if produced > 0 { return produced }
            default:
                let detail = stream.msg.map { String(cString: $0) } ?? "zlib error \(code)"
                throw InputError(source: name, reason: "not valid gzip data: \(detail)")
            }
        }
        return 0
    }
}
