// The code editor (CodeMirror 6): JavaScript highlighting, server validation errors as lint
// diagnostics at their line, completion from the toolbelt's TypeScript declarations, Ctrl/Cmd+S
// to save; and a read-only side-by-side diff.
import { autocompletion, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { javascript, javascriptLanguage } from '@codemirror/lang-javascript';
import { MergeView } from '@codemirror/merge';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'preact/hooks';
import type { BuildError } from './api';

// ---- completion from the toolbelt's declarations (types/*.d.ts, when the build has them) ----

const declarationFiles = import.meta.glob('../../types/*.d.ts', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

interface Declared {
  members: Map<string, Completion[]>; // type name → its members
  topLevel: Completion[];
}

function docBefore(text: string, index: number): string | undefined {
  const before = text.slice(0, index).trimEnd();
  if (!before.endsWith('*/')) return undefined;
  const start = before.lastIndexOf('/**');
  if (start < 0) return undefined;
  return before
    .slice(start + 3, -2)
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, ''))
    .join('\n')
    .trim();
}

export function parseDeclarations(sources: string[]): Declared {
  const members = new Map<string, Completion[]>();
  const topLevel: Completion[] = [];
  for (const text of sources) {
    const block = /(?:export\s+)?(?:declare\s+)?(class|interface|namespace)\s+([A-Za-z_$][\w$]*)[^{]*\{/g;
    for (let m; (m = block.exec(text)); ) {
      const [, kind, name] = m;
      topLevel.push({ label: name, type: kind === 'interface' ? 'interface' : kind === 'namespace' ? 'namespace' : 'class', info: docBefore(text, m.index) });
      // The body up to the matching brace.
      let depth = 1;
      let i = block.lastIndex;
      while (i < text.length && depth > 0) {
        if (text[i] === '{') depth++;
        else if (text[i] === '}') depth--;
        i++;
      }
      const body = text.slice(block.lastIndex, i - 1);
      const list: Completion[] = [];
      const member = /^\s*(?:static\s+|readonly\s+|public\s+|function\s+|const\s+|let\s+)*([A-Za-z_$][\w$]*)\??\s*(\(|:|<)([^;\n]*)/gm;
      for (let mm; (mm = member.exec(body)); ) {
        const [, mname, open, rest] = mm;
        if (/^(class|interface|namespace|type|export|declare)$/.test(mname)) continue;
        const isMethod = open === '(' || open === '<';
        list.push({ label: mname, type: isMethod ? 'method' : 'property', detail: (open + rest).trim().slice(0, 80), info: docBefore(body, mm.index) });
      }
      members.set(name, [...(members.get(name) ?? []), ...list]);
    }
    const fn = /(?:export\s+)?(?:declare\s+)?function\s+([A-Za-z_$][\w$]*)\s*(\([^)]*\)[^;\n]*)/g;
    for (let m; (m = fn.exec(text)); ) topLevel.push({ label: m[1], type: 'function', detail: m[2].slice(0, 80), info: docBefore(text, m.index) });
  }
  return { members, topLevel };
}

const declared = parseDeclarations(Object.values(declarationFiles));
const allMembers = [...declared.members.values()].flat();
const moduleNames = ['lp-faas-toolbelt', 'core-functions-toolbelt', 'parley-toolbelt', 'lodash', 'luxon', 'es-toolkit', 'oauth-1.0a', 'jsonwebtoken', 'crypto', 'buffer', 'url', 'util', 'querystring'];

export const hasToolbeltDeclarations = Object.keys(declarationFiles).length > 0;

function toolbeltCompletions(ctx: CompletionContext): CompletionResult | null {
  // require('…') / import … from '…': the importable modules.
  const inString = ctx.matchBefore(/(?:require\(|from\s+)['"][\w@./:-]*$/);
  if (inString) {
    const quote = inString.text.search(/['"]/);
    return { from: inString.from + quote + 1, options: moduleNames.map((label) => ({ label, type: 'namespace' })) };
  }
  const dotted = ctx.matchBefore(/([A-Za-z_$][\w$]*)\.([\w$]*)$/);
  if (dotted) {
    const [owner] = dotted.text.split('.');
    const own = declared.members.get(owner);
    const options = own ?? allMembers;
    if (!options.length) return null;
    return { from: dotted.from + owner.length + 1, options, validFor: /^[\w$]*$/ };
  }
  const word = ctx.matchBefore(/[A-Za-z_$][\w$]*$/);
  if (!word || (word.from === word.to && !ctx.explicit) || !declared.topLevel.length) return null;
  return { from: word.from, options: declared.topLevel, validFor: /^[\w$]*$/ };
}

// ---- the editor ----------------------------------------------------------------------------

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '13px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.55' },
  '.cm-gutters': { background: 'var(--surface-2)', borderRight: '1px solid var(--border)', color: 'var(--muted)' },
  '.cm-activeLineGutter': { background: 'var(--surface-3)' },
});

export function diagnosticsFor(state: EditorState, error: BuildError | null): Diagnostic[] {
  if (!error) return [];
  const lineNo = Math.min(Math.max(error.line ?? 1, 1), state.doc.lines);
  const line = state.doc.line(lineNo);
  const col = Math.max((error.column ?? 1) - 1, 0);
  const from = Math.min(line.from + col, line.to);
  const to = from < line.to ? line.to : Math.min(from + 1, state.doc.length);
  return [{ from, to: Math.max(to, from), severity: 'error', message: error.message, source: 'server' }];
}

export function CodeEditor({
  value,  // the initial document
  onChange,
  onSave,
  error,
  readOnly = false,
  label,
}: {
  value: string;
  onChange?: (code: string) => void;
  onSave?: () => void;
  error?: BuildError | null;
  readOnly?: boolean;
  label: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView>();
  const handlers = useRef({ onChange, onSave });
  handlers.current = { onChange, onSave };

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          keymap.of([
            {
              key: 'Mod-s',
              preventDefault: true,
              run: () => {
                handlers.current.onSave?.();
                return true;
              },
            },
          ]),
          basicSetup,
          javascript(),
          javascriptLanguage.data.of({ autocomplete: toolbeltCompletions }),
          autocompletion({ activateOnTyping: true }),
          lintGutter(),
          theme,
          EditorState.readOnly.of(readOnly),
          EditorView.contentAttributes.of({ 'aria-label': label }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) handlers.current.onChange?.(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
  }, []);

  // The editor owns its text after creation: `value` is only the initial document (remount it
  // with a new key to load other text). Syncing a controlled value back in an effect is unsafe:
  // Preact may run an effect late, after renders with newer text, and putting its older text
  // back makes the editor and its owner swap the two forever.
  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, diagnosticsFor(v.state, error ?? null)));
  }, [error]);

  return <div class="code-editor" ref={host} />;
}

export function DiffView({ before, after, beforeLabel, afterLabel }: { before: string; after: string; beforeLabel: string; afterLabel: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const extensions = [basicSetup, javascript(), theme, EditorState.readOnly.of(true), EditorView.editable.of(false)];
    const mv = new MergeView({
      a: { doc: before, extensions },
      b: { doc: after, extensions },
      parent: host.current!,
      collapseUnchanged: { margin: 3, minSize: 6 },
      gutter: true,
    });
    return () => mv.destroy();
  }, [before, after]);
  const same = before === after;
  return (
    <div class="diff">
      <div class="diff-labels">
        <span>{beforeLabel}</span>
        <span>{afterLabel}</span>
      </div>
      {same && <p class="muted diff-same">No code changes.</p>}
      <div class="diff-host" ref={host} />
    </div>
  );
}
