import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";

/** A request on either HTTP version; the kit serves both with one handler. */
export type NodeRequest = IncomingMessage | Http2ServerRequest;

/** A response on either HTTP version. */
export type NodeResponse = ServerResponse | Http2ServerResponse;

/** A request handler for both HTTP versions. */
export type NodeHandler = (req: NodeRequest, res: NodeResponse) => void;
