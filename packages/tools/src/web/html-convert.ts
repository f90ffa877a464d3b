import type TurndownService from "turndown";
import { htmlParserLib, turndownLib } from "./html-libs.js";

/** Elements that carry no readable content for a model. */
const NOISE = ["script", "style", "noscript", "template", "iframe", "svg", "canvas"];

function createTurndown(): TurndownService {
  const Turndown = turndownLib.get();
  const service = new Turndown({
    headingStyle: "atx",
    codeBlockStyle: "fenced",
    bulletListMarker: "-",
    emDelimiter: "_",
  });
  service.remove(NOISE as TurndownService.TagName[]);
  return service;
}

let turndown: TurndownService | undefined;

/** HTML → Markdown (turndown), dropping scripts, styles and other non-content elements. */
export function htmlToMarkdown(html: string): string {
  turndown ??= createTurndown();
  return turndown
    .turndown(html)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** HTML → plain text with block structure kept as line breaks. */
export function htmlToText(html: string): string {
  const parse = htmlParserLib.get();
  const root = parse(html, { comment: false, blockTextElements: { pre: true } });
  for (const tag of NOISE) for (const el of root.querySelectorAll(tag)) el.remove();
  const body = root.querySelector("body") ?? root;
  return body.structuredText
    .split("\n")
    .map((line) => line.trim())
    .filter((line, i, lines) => line !== "" || (i > 0 && lines[i - 1] !== ""))
    .join("\n")
    .trim();
}

/** The document title, if any (used as a header in webfetch output). */
export function htmlTitle(html: string): string | undefined {
  const title = htmlParserLib.get()(html).querySelector("title")?.text.trim();
  return title ? title : undefined;
}

export function looksLikeHtml(contentType: string, body: string): boolean {
  if (/html/i.test(contentType)) return true;
  if (contentType) return false;
  return /^\s*(<!doctype html|<html[\s>])/i.test(body);
}
