/**
 * The Shell's editor: CodeMirror 6 with JavaScript syntax (FQL v4's shell
 * syntax is JavaScript-like), FQL function names marked and completed,
 * Ctrl/Cmd+Enter runs.
 */
import { useEffect, useRef } from 'react';
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { EditorState, Prec } from '@codemirror/state';
import { Decoration, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, MatchDecorator, placeholder, ViewPlugin, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { FQL_FUNCTIONS } from '../../../shared/fql/print-functions.js';

const FQL_NAMES = [...FQL_FUNCTIONS.keys()].sort();
const FQL_NAME_SET = new Set(FQL_NAMES);

// Colours come from CSS custom properties (light and dark in app.css); they inherit into the editor's shadow root.
const highlight = HighlightStyle.define([
  { tag: tags.keyword, color: 'var(--tok-keyword)' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--tok-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--tok-number)' },
  { tag: tags.comment, color: 'var(--text-subdued)', fontStyle: 'italic' },
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: 'var(--tok-property)' },
  { tag: [tags.operator, tags.punctuation, tags.bracket], color: 'var(--text-subdued)' },
]);

const fqlFunctionMark = Decoration.mark({ class: 'tok-fql-fn' });
const fqlMatcher = new MatchDecorator({
  regexp: /\b[A-Z][A-Za-z0-9]*(?=\s*\()/g,
  decoration: (m) => (FQL_NAME_SET.has(m[0]) ? fqlFunctionMark : null),
});
const fqlFunctions = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = fqlMatcher.createDeco(view);
    }
    update(u: ViewUpdate) {
      this.decorations = fqlMatcher.updateDeco(u, this.decorations);
    }
  },
  { decorations: (v) => v.decorations },
);

function completeFql(context: CompletionContext): CompletionResult | null {
  const word = context.matchBefore(/[A-Za-z_][A-Za-z0-9_]*/);
  if (!word || (word.from === word.to && !context.explicit)) return null;
  return {
    from: word.from,
    options: FQL_NAMES.map((name) => ({ label: name, type: 'function', apply: name })),
    validFor: /^[A-Za-z0-9_]*$/,
  };
}

const theme = EditorView.theme({
  '&': { fontSize: '13px', backgroundColor: 'var(--surface)', color: 'var(--text)', minHeight: '160px', maxHeight: '45vh', borderRadius: '12px' },
  '&.cm-focused': { outline: 'none', boxShadow: 'inset 0 0 0 2px var(--focus)' },
  '.cm-content': { fontFamily: 'var(--font-mono)', caretColor: 'var(--text)', padding: '8px 0' },
  '.cm-gutters': { backgroundColor: 'var(--surface-subdued)', color: 'var(--text-subdued)', border: 'none', borderRight: '1px solid var(--border)', borderRadius: '12px 0 0 12px' },
  '.cm-activeLine': { backgroundColor: 'var(--row-hover)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--row-hover)' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.55', overflow: 'auto' },
  '.cm-placeholder': { color: 'var(--text-subdued)' },
  '.cm-tooltip': { backgroundColor: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)', borderRadius: '8px', overflow: 'hidden' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { backgroundColor: 'var(--selected)', color: 'var(--text)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': { backgroundColor: 'var(--selection)' },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
  '.tok-fql-fn, .tok-fql-fn *': { color: 'var(--tok-function)', fontWeight: '600' },
  '.cm-matchingBracket': { backgroundColor: 'var(--selection)', outline: 'none' },
});

export interface EditorHandle {
  setText(text: string): void;
  focus(): void;
}

export function FqlEditor({ initial, onChange, onRun, handleRef }: { initial: string; onChange(text: string): void; onRun(text: string): void; handleRef?: { current: EditorHandle | null } }) {
  const host = useRef<HTMLDivElement>(null);
  const callbacks = useRef({ onChange, onRun });
  callbacks.current = { onChange, onRun };

  useEffect(() => {
    const run = (view: EditorView) => {
      callbacks.current.onRun(view.state.doc.toString());
      return true;
    };
    // The editor lives in its own shadow root: CodeMirror then puts its styles in a
    // constructed stylesheet instead of a <style> element, so the page's CSP can
    // forbid inline styles altogether.
    const shadow = host.current!.shadowRoot ?? host.current!.attachShadow({ mode: 'open' });
    shadow.replaceChildren();
    const parent = document.createElement('div');
    shadow.appendChild(parent);
    const view = new EditorView({
      root: shadow,
      parent,
      state: EditorState.create({
        doc: initial,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          history(),
          indentOnInput(),
          bracketMatching(),
          closeBrackets(),
          highlightActiveLine(),
          autocompletion({ override: [completeFql] }),
          javascript(),
          syntaxHighlighting(highlight),
          fqlFunctions,
          placeholder('Write FQL, e.g. Paginate(Documents(Collection("products")))'),
          Prec.highest(keymap.of([{ key: 'Mod-Enter', run, preventDefault: true }])),
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, indentWithTab]),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': 'FQL query', 'data-testid': 'fql-editor' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) callbacks.current.onChange(u.state.doc.toString());
          }),
          theme,
        ],
      }),
    });
    if (handleRef) {
      handleRef.current = {
        setText(text) {
          view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: { anchor: text.length } });
          view.focus();
        },
        focus: () => view.focus(),
      };
    }
    view.focus();
    return () => {
      if (handleRef) handleRef.current = null;
      view.destroy();
    };
  }, []);

  return <div className="fql-editor" ref={host} />;
}
