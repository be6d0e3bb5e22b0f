// The create wizard: event → skills → template → name and description.
import { useMemo, useState } from 'preact/hooks';
import { ApiError, get, listOf, post, type EventType, type FunctionDetail, type Template } from '../api';
import { navigate } from '../router';
import { useAccountPath } from '../session';
import { AsyncView, Button, errorText, Field, PageHeader, useAsync } from '../ui';

const BLANK: Template = {
  id: 'blank',
  name: 'Blank function',
  description: 'An empty V2 async function that returns its input.',
  eventIds: [],
  code: `/**
 * @param {{timestamp: number, headers: {key: string, value: string}[], payload: any}} input
 */
async function lambda(input) {
  console.info('payload', input.payload);
  return input.payload;
}
`,
};

const STEPS = ['Event', 'Skills', 'Template', 'Name'];

export function CreateFunctionPage() {
  const acct = useAccountPath();
  const events = useAsync(() => get<EventType[]>('/events').then((d) => listOf<EventType>(d, 'events')), []);
  const [step, setStep] = useState(0);
  const [eventId, setEventId] = useState('');
  const [skills, setSkills] = useState('');
  const [template, setTemplate] = useState<Template | null>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [q, setQ] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const event = events.data?.find((e) => e.eventId === eventId);
  const templates = useAsync(async () => {
    if (!eventId) return [] as Template[];
    try {
      return listOf<Template>(await get(`/templates?eventId=${encodeURIComponent(eventId)}`), 'templates');
    } catch (e) {
      if (e instanceof ApiError && e.missingRoute) return [] as Template[];
      throw e;
    }
  }, [eventId]);

  const grouped = useMemo(() => {
    const m = new Map<string, EventType[]>();
    for (const e of events.data ?? []) {
      if (q && !`${e.eventId} ${e.eventName} ${e.description}`.toLowerCase().includes(q.toLowerCase())) continue;
      m.set(e.category || 'Other', [...(m.get(e.category || 'Other') ?? []), e]);
    }
    return [...m.entries()];
  }, [events.data, q]);

  const nameError = name && !/^[A-Za-z0-9_]{1,50}$/.test(name) ? 'Use 1–50 letters, digits or underscores.' : null;
  const skillList = skills
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

  const create = async (e: Event) => {
    e.preventDefault();
    if (!name || nameError) return;
    setBusy(true);
    setError(null);
    try {
      const f = await post<FunctionDetail>(acct('/functions'), {
        name,
        description,
        eventId,
        skills: skillList,
        code: (template ?? BLANK).code,
      });
      navigate(`/functions/${encodeURIComponent(f.name)}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title="New function" subtitle={<a href="/functions">← Functions</a>} />
      <ol class="stepper" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li key={s} class={i === step ? 'current' : i < step ? 'done' : ''} aria-current={i === step ? 'step' : undefined}>
            <span class="step-no">{i + 1}</span>
            {s}
          </li>
        ))}
      </ol>
      <section class="card wizard">
        {step === 0 && (
          <AsyncView value={events} label="Loading the event catalogue…">
            {() => (
              <fieldset>
                <legend>Which event should run this function?</legend>
                <input type="search" aria-label="Search events" placeholder="Search events" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
                <div class="event-groups">
                  {grouped.map(([cat, list]) => (
                    <div key={cat} class="event-group">
                      <h3>{cat}</h3>
                      {list.map((ev) => (
                        <label key={ev.eventId} class={`choice ${eventId === ev.eventId ? 'selected' : ''}`}>
                          <input type="radio" name="event" value={ev.eventId} checked={eventId === ev.eventId} onChange={() => setEventId(ev.eventId)} />
                          <span>
                            <strong>{ev.eventName}</strong> <code class="small">{ev.eventId}</code>
                            <span class="muted small block">{ev.description}</span>
                          </span>
                        </label>
                      ))}
                    </div>
                  ))}
                </div>
              </fieldset>
            )}
          </AsyncView>
        )}
        {step === 1 && (
          <div>
            <h2 class="step-title">Skills</h2>
            {event?.skillsSupported ? (
              <Field label="Skills (comma separated, optional)" id="wiz-skills" hint="Several functions can share this event when their skill sets do not overlap. No skills: this function takes every conversation.">
                <input id="wiz-skills" value={skills} placeholder="e.g. billing, support" onInput={(e) => setSkills((e.target as HTMLInputElement).value)} />
              </Field>
            ) : (
              <p class="muted">Skills do not apply to “{event?.eventName ?? eventId}”. Continue to pick a template.</p>
            )}
          </div>
        )}
        {step === 2 && (
          <div>
            <h2 class="step-title">Start from a template</h2>
            <AsyncView value={templates} label="Loading templates…">
              {(list) => (
                <div class="template-grid" role="radiogroup" aria-label="Templates">
                  {[...list, BLANK].map((t) => (
                    <label key={t.id} class={`template-card ${template?.id === t.id ? 'selected' : ''}`}>
                      <input type="radio" name="template" value={t.id} checked={template?.id === t.id} onChange={() => setTemplate(t)} />
                      <strong>{t.name}</strong>
                      <span class="muted small">{t.description}</span>
                    </label>
                  ))}
                </div>
              )}
            </AsyncView>
            {template && <pre class="code-preview" aria-label="Template code">{template.code}</pre>}
          </div>
        )}
        {step === 3 && (
          <form id="wizard-form" onSubmit={create}>
            <h2 class="step-title">Name and description</h2>
            {error !== null && (
              <div class="alert alert-error" role="alert">
                {errorText(error)}
              </div>
            )}
            <Field label="Name" id="wiz-name" error={nameError} hint="Letters, digits and underscores; unique in the account.">
              <input id="wiz-name" value={name} required maxLength={50} onInput={(e) => setName((e.target as HTMLInputElement).value)} autofocus />
            </Field>
            <Field label="Description" id="wiz-desc" hint={`${description.length}/200`}>
              <textarea id="wiz-desc" rows={3} maxLength={200} value={description} onInput={(e) => setDescription((e.target as HTMLTextAreaElement).value)} />
            </Field>
            <dl class="summary">
              <dt>Event</dt>
              <dd>{event?.eventName ?? eventId}</dd>
              <dt>Skills</dt>
              <dd>{skillList.length ? skillList.join(', ') : '—'}</dd>
              <dt>Template</dt>
              <dd>{(template ?? BLANK).name}</dd>
            </dl>
          </form>
        )}
        <div class="wizard-nav">
          <Button onClick={() => (step === 0 ? navigate('/functions') : setStep(step - 1))}>{step === 0 ? 'Cancel' : 'Back'}</Button>
          {step < 3 ? (
            <Button variant="primary" disabled={(step === 0 && !eventId) || (step === 2 && !template)} onClick={() => setStep(step + 1)}>
              Next
            </Button>
          ) : (
            <Button variant="primary" type="submit" form="wizard-form" busy={busy} disabled={!name || Boolean(nameError)}>
              Create function
            </Button>
          )}
        </div>
      </section>
    </>
  );
}
