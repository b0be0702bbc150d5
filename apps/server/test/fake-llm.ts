import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real little HTTP server speaking the OpenAI chat-completions format, standing in for
 * DeepSeek / Qwen / vLLM / Ollama in tests. What it answers is set per kind of request
 * (the classification prompt or anything else); every request is recorded.
 */

export type FakeAnswer =
  | { kind: "text"; text: string }
  /** Answer `text` only once `release` resolves: lets a test look at the state before the answer. */
  | { kind: "held"; text: string; release: Promise<void> }
  | { kind: "status"; status: number }
  | { kind: "garbage" }
  /** Accept the request and never answer. */
  | { kind: "hang" };

export interface ReceivedRequest {
  path: string;
  authorization: string | undefined;
  body: {
    model: string;
    temperature: number;
    messages: { role: string; content: string }[];
  };
  /** The whole prompt, messages joined. */
  prompt: string;
  isClassification: boolean;
}

export interface FakeLlm {
  /** The base URL to configure (`…/v1`). */
  baseUrl: string;
  received: ReceivedRequest[];
  answers: { classify: FakeAnswer; other: FakeAnswer };
  close(): Promise<void>;
}

const completion = (model: string, text: string) => ({
  id: "chatcmpl-test",
  object: "chat.completion",
  created: Math.floor(Date.now() / 1000),
  model,
  choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

export async function startFakeLlm(): Promise<FakeLlm> {
  const received: ReceivedRequest[] = [];
  const answers: FakeLlm["answers"] = {
    classify: { kind: "text", text: "其他" },
    other: { kind: "text", text: "好的" },
  };
  const server = http.createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      raw += chunk;
    });
    req.on("end", () => {
      const body = JSON.parse(raw || "{}") as ReceivedRequest["body"];
      const prompt = (body.messages ?? []).map((m) => m.content).join("\n");
      const isClassification = prompt.includes("意图分类器");
      received.push({ path: req.url ?? "", authorization: req.headers.authorization, body, prompt, isClassification });
      const answer = isClassification ? answers.classify : answers.other;
      if (req.url !== "/v1/chat/completions") {
        res.writeHead(404).end();
        return;
      }
      switch (answer.kind) {
        case "hang":
          return;
        case "status":
          res.writeHead(answer.status, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { message: "model overloaded" } }));
          return;
        case "garbage":
          res.writeHead(200, { "content-type": "text/html" }).end("<html>gateway</html>");
          return;
        case "held":
          void answer.release.then(() => {
            res.writeHead(200, { "content-type": "application/json" });
            res.end(JSON.stringify(completion(body.model, answer.text)));
          });
          return;
        case "text":
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify(completion(body.model, answer.text)));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    received,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging requests keep their sockets: drop them.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
