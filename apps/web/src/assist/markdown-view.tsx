import type { ReactNode } from "react";
import { Fragment } from "react";
import type { Inline } from "./markdown.ts";
import { parseMarkdown } from "./markdown.ts";

/** An article's Markdown as React elements (see markdown.ts): safe whatever the text holds. */
export function MarkdownView({ markdown, className }: { markdown: string; className?: string }) {
  return (
    <div className={`markdown-view${className ? ` ${className}` : ""}`}>
      {parseMarkdown(markdown).map((block, i) => {
        // The blocks of one document, in order: the index is their identity.
        const key = `${block.type}-${i}`;
        switch (block.type) {
          case "heading":
            return block.level <= 2 ? (
              <h3 key={key}>{inlines(block.inline)}</h3>
            ) : (
              <h4 key={key}>{inlines(block.inline)}</h4>
            );
          case "paragraph":
            return <p key={key}>{inlines(block.inline)}</p>;
          case "quote":
            return <blockquote key={key}>{inlines(block.inline)}</blockquote>;
          case "code":
            return <pre key={key}>{block.text}</pre>;
          case "list": {
            const items = block.items.map((item, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the items of one list, in order
              <li key={`${key}-${j}`}>{inlines(item)}</li>
            ));
            return block.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
          }
          default:
            return null;
        }
      })}
    </div>
  );
}

function inlines(parts: Inline[]): ReactNode {
  return parts.map((part, i) => {
    const key = `${part.type}-${i}`;
    switch (part.type) {
      case "strong":
        return <strong key={key}>{part.text}</strong>;
      case "em":
        return <em key={key}>{part.text}</em>;
      case "code":
        return <code key={key}>{part.text}</code>;
      case "link":
        return (
          <a key={key} href={part.href} target="_blank" rel="noopener noreferrer nofollow">
            {part.text}
          </a>
        );
      case "image":
        return <img key={key} src={part.src} alt={part.alt} loading="lazy" />;
      default:
        return <Fragment key={key}>{withBreaks(part.text)}</Fragment>;
    }
  });
}

function withBreaks(text: string): ReactNode {
  const lines = text.split("\n");
  return lines.map((line, i) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: the lines of one text, in order
    <Fragment key={i}>
      {i > 0 && <br />}
      {line}
    </Fragment>
  ));
}
