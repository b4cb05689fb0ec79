import { useCallback, useRef, useState, type ChangeEvent, type FormEvent } from "react";
import type { z } from "zod";
import { ApiError, errorMessage } from "./api";

export type FieldErrors = Record<string, string | undefined>;

/** Zod issues as `{path: message}`, first message per field. */
export function issuesToErrors(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join(".") || "_form";
    errors[path] ??= issue.message;
  }
  return errors;
}

type Options<S extends z.ZodType> = {
  /** Validates on the client first (the same schema the server uses, from @cairn/shared when it exists). */
  schema: S;
  initial: z.input<S>;
  onSubmit: (values: z.output<S>) => Promise<void> | void;
  /** Server field paths that are shown next to a different field, e.g. `{ password: "newPassword" }`. */
  fieldAliases?: Record<string, string>;
};

/**
 * The one form pattern: controlled values, client validation with a zod schema, and the server's
 * problem+json `errors` shown next to the matching fields (anything else in `formError`). The first
 * invalid field receives focus.
 */
export function useForm<S extends z.ZodType<Record<string, unknown>>>({
  schema,
  initial,
  onSubmit,
  fieldAliases,
}: Options<S>) {
  type Values = z.input<S>;
  type Name = keyof Values & string;
  const [values, setValues] = useState<Values>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const formRef = useRef<HTMLFormElement | null>(null);

  const setValue = useCallback(<K extends Name>(name: K, value: Values[K]) => {
    setValues((current) => ({ ...(current as object), [name]: value }) as Values);
    setErrors((current) => (current[name] ? { ...current, [name]: undefined } : current));
  }, []);

  const focusFirstError = (next: FieldErrors) => {
    const names = Object.keys(next).filter((key) => next[key]);
    requestAnimationFrame(() => {
      for (const name of names) {
        const element = formRef.current?.querySelector<HTMLElement>(`[name="${CSS.escape(name)}"]`);
        if (element) {
          element.focus();
          return;
        }
      }
    });
  };

  const handleSubmit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (submitting) return;
    setFormError(null);
    const parsed = schema.safeParse(values);
    if (!parsed.success) {
      const next = issuesToErrors(parsed.error.issues);
      setErrors(next);
      focusFirstError(next);
      return;
    }
    setErrors({});
    setSubmitting(true);
    try {
      await onSubmit(parsed.data);
    } catch (error) {
      if (error instanceof ApiError) {
        const next: FieldErrors = {};
        const unmatched: string[] = [];
        const form = formRef.current;
        for (const [path, message] of Object.entries(error.fieldErrors)) {
          const name = fieldAliases?.[path] ?? path;
          const known = name in (values as object) || form?.querySelector(`[name="${CSS.escape(name)}"]`);
          if (known) next[name] = message;
          else unmatched.push(message);
        }
        setErrors(next);
        const matched = Object.keys(next).length > 0;
        setFormError(unmatched.length ? unmatched.join(" ") : matched ? null : error.userMessage);
        if (matched) focusFirstError(next);
      } else {
        setFormError(errorMessage(error));
      }
    } finally {
      setSubmitting(false);
    }
  };

  /** Props for a text-like control bound to `name`. */
  const input = (name: Name) => ({
    name,
    value: String(values[name] ?? ""),
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) =>
      setValue(name, event.target.value as Values[Name]),
  });

  return {
    values,
    setValue,
    setValues,
    errors,
    setErrors,
    formError,
    setFormError,
    submitting,
    input,
    formRef,
    /** For `<form onSubmit={form.onSubmit}>`. */
    onSubmit: (event: FormEvent) => void handleSubmit(event),
    reset: () => {
      setValues(initial);
      setErrors({});
      setFormError(null);
    },
  };
}
