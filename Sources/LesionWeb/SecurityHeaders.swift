import HTTPTypes
import Hummingbird

/// Adds the security headers to every response and turns an unknown route into
/// the 404 page: a strict Content-Security-Policy (nothing from elsewhere, no
/// script, no inline style but the charts' one `white-space:pre` legend attribute,
/// by hash), no sniffing, no framing, no referrer. No CORS header is ever sent, so
/// other sites' scripts cannot read the pages.
struct SecurityHeaders<Context: RequestContext>: RouterMiddleware {
    static var policy: String {
        "default-src 'none'; style-src 'self'; style-src-attr 'unsafe-hashes' 'sha256-akGRfPV66JHQZhf//s0FQOoEei/SzsKT1JH+ezsk9dI='; "
            + "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let page = ErrorPage(status: .notFound, title: "Not found", message: "there is no page at \(request.uri.path)")
            response = WebServer.error(page)
        } catch let error as HTTPError where error.status == .methodNotAllowed {
            let page = ErrorPage(status: .methodNotAllowed, title: "Method not allowed", message: "this server only reads: use GET")
            response = WebServer.error(page)
        } catch {
            response = WebServer.error(ErrorPage.from(error))
        }
        response.headers[.contentSecurityPolicy] = SecurityHeaders.policy
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}
