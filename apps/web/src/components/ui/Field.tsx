import {
  useId,
  useMemo,
  type ChangeEvent,
  type FormEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";
import { Alert } from "./Alert";
import { cn } from "./cn";

const control =
  "block w-full rounded-md border bg-white px-2.5 text-sm text-zinc-900 shadow-xs placeholder:text-zinc-400 transition-colors focus:border-accent-500 focus:ring-2 focus:ring-accent-500/20 focus:outline-none disabled:bg-zinc-100 disabled:text-zinc-500";

const controlBorder = (invalid: boolean) => (invalid ? "border-red-500" : "border-zinc-300");

type FieldProps = {
  label: ReactNode;
  /** Shown under the control; replaced by the error when there is one. */
  hint?: ReactNode;
  error?: string | undefined;
  /** Renders the control, given the ids that tie label, hint and error to it. */
  children: (props: {
    id: string;
    "aria-invalid": boolean;
    "aria-describedby": string | undefined;
  }) => ReactNode;
  className?: string;
  /** Text beside the label, e.g. a link or "Optional". */
  aside?: ReactNode;
};

/** A labelled form control with its hint or error, wired for screen readers. */
export function Field({ label, hint, error, children, className, aside }: FieldProps) {
  const id = useId();
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className={cn("space-y-1.5", className)}>
      <div className="flex items-baseline justify-between gap-2">
        <label htmlFor={id} className="text-[13px] font-medium text-zinc-800">
          {label}
        </label>
        {aside ? <span className="text-[13px] text-zinc-500">{aside}</span> : null}
      </div>
      {children({ id, "aria-invalid": Boolean(error), "aria-describedby": describedBy })}
      {error ? (
        <p id={`${id}-error`} className="text-[13px] text-red-600">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-[13px] text-zinc-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function Input({
  className,
  ref,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> }) {
  return (
    <input
      ref={ref}
      className={cn(control, "h-8.5", controlBorder(props["aria-invalid"] === true), className)}
      {...props}
    />
  );
}

export function Textarea({
  className,
  ref,
  ...props
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { ref?: Ref<HTMLTextAreaElement> }) {
  return (
    <textarea
      ref={ref}
      className={cn(control, "min-h-20 py-2", controlBorder(props["aria-invalid"] === true), className)}
      {...props}
    />
  );
}

export function Select({
  className,
  ref,
  children,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { ref?: Ref<HTMLSelectElement> }) {
  return (
    <select
      ref={ref}
      className={cn(control, "h-8.5 pr-8", controlBorder(props["aria-invalid"] === true), className)}
      {...props}
    >
      {children}
    </select>
  );
}

export function Checkbox({
  label,
  description,
  className,
  ...props
}: Omit<InputHTMLAttributes<HTMLInputElement>, "type"> & { label: ReactNode; description?: ReactNode }) {
  const id = useId();
  return (
    <div className={cn("flex items-start gap-2.5", className)}>
      <input
        id={id}
        type="checkbox"
        className="mt-0.5 size-4 shrink-0 rounded border-zinc-300 accent-accent-600 disabled:opacity-60"
        aria-describedby={description ? `${id}-desc` : undefined}
        {...props}
      />
      <div className="min-w-0 text-sm leading-5">
        <label htmlFor={id} className="font-medium text-zinc-800">
          {label}
        </label>
        {description ? (
          <p id={`${id}-desc`} className="text-[13px] text-zinc-500">
            {description}
          </p>
        ) : null}
      </div>
    </div>
  );
}

/** What {@link TextField} needs of lib/form.ts `useForm`. */
type FormBinding<N extends string> = {
  errors: Record<string, string | undefined>;
  input: (name: N) => {
    name: string;
    value: string;
    onChange: (event: ChangeEvent<HTMLInputElement & HTMLTextAreaElement & HTMLSelectElement>) => void;
  };
};

type FieldText = {
  label: ReactNode;
  hint?: ReactNode;
  aside?: ReactNode;
  /** Of the field (label, control and hint); `inputClassName` is the control's. */
  className?: string;
  inputClassName?: string;
};

type Bound<N extends string> = FieldText & { form: FormBinding<N>; name: N };

/** The field's label, hint and error around a control bound to `form`'s field `name`. */
function BoundField<N extends string>({
  form,
  name,
  inputClassName,
  control,
  ...text
}: Bound<N> & {
  control: (props: ReturnType<FormBinding<N>["input"]> & { id: string; className?: string }) => ReactNode;
}) {
  return (
    <Field {...text} error={form.errors[name]}>
      {(props) => control({ ...props, ...form.input(name), className: inputClassName })}
    </Field>
  );
}

/** Splits a bound field's props: the field's own (label, hint, form, name…) and the control's. */
function splitBound<N extends string, P extends object>({
  form,
  name,
  label,
  hint,
  aside,
  className,
  inputClassName,
  ...control
}: Bound<N> & P): [Bound<N>, Omit<P, keyof Bound<N>>] {
  return [{ form, name, label, hint, aside, className, inputClassName }, control];
}

/** A labelled text input bound to one field of a form: its value, its changes and its error. */
export function TextField<N extends string>(
  props: Bound<N> &
    Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "form"> & { ref?: Ref<HTMLInputElement> },
) {
  const [field, input] = splitBound(props);
  return (
    <BoundField {...field} control={(bound) => <Input {...bound} {...input} className={bound.className} />} />
  );
}

/** A labelled multi-line text bound to one field of a form. */
export function TextAreaField<N extends string>(
  props: Bound<N> & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "name" | "form">,
) {
  const [field, input] = splitBound(props);
  return (
    <BoundField
      {...field}
      control={(bound) => <Textarea {...bound} {...input} className={bound.className} />}
    />
  );
}

/** A labelled choice among fixed options, bound to one field of a form. */
export function SelectField<N extends string>({
  options,
  ...field
}: Bound<N> & { options: readonly { value: string; label: string }[] }) {
  return (
    <BoundField
      {...field}
      control={(props) => (
        <Select {...props}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </Select>
      )}
    />
  );
}

/** Every time zone the browser knows (UTC first), and `current` even if it does not. */
function timeZones(current: string): string[] {
  return [...new Set(["UTC", ...Intl.supportedValuesOf("timeZone"), current])];
}

/** A time zone picked from the browser's list, bound to one field of a form. */
export function TimeZoneField<N extends string>({ current, ...field }: Bound<N> & { current: string }) {
  const zones = useMemo(() => timeZones(current), [current]);
  return (
    <BoundField
      {...field}
      control={(props) => (
        <Select {...props}>
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone.replace(/_/g, " ")}
            </option>
          ))}
        </Select>
      )}
    />
  );
}

/** What {@link Form} needs of lib/form.ts `useForm`. */
export type FormState = {
  formRef: Ref<HTMLFormElement | null>;
  onSubmit: (event: FormEvent) => void;
  formError: string | null;
};

/** The one form: validated by `useForm` (no browser bubbles), the error of no field on top. */
export function Form({
  form,
  className,
  children,
}: {
  form: FormState;
  className?: string;
  children: ReactNode;
}) {
  return (
    <form ref={form.formRef} onSubmit={form.onSubmit} noValidate className={className ?? "space-y-4"}>
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      {children}
    </form>
  );
}
