/** A labelled form field: label above, the control, then a hint or an error (the engine's too). */
import { useId, type ReactNode, type InputHTMLAttributes, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  children(props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }): ReactNode;
  className?: string;
}

export function Field({ label, error, hint, children, className }: FieldProps) {
  const id = useId();
  const described = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className={`field${error ? ' has-error' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': !!error, 'aria-describedby': described })}
      {error ? (
        <div className="field-error" id={`${id}-error`} role="alert">
          {error}
        </div>
      ) : hint ? (
        <div className="field-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
    </div>
  );
}

export function TextField({ label, error, hint, className, prefix, ...input }: { label: string; error?: string | undefined; hint?: ReactNode; prefix?: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Field label={label} error={error} hint={hint} className={className}>
      {(p) =>
        prefix ? (
          <div className="input-affix">
            <span className="input-prefix">{prefix}</span>
            <input className="input" {...input} {...p} />
          </div>
        ) : (
          <input className="input" {...input} {...p} />
        )
      }
    </Field>
  );
}

export function TextArea({ label, error, hint, className, ...input }: { label: string; error?: string | undefined; hint?: ReactNode } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <Field label={label} error={error} hint={hint} className={className}>
      {(p) => <textarea className="input" rows={3} {...input} {...p} />}
    </Field>
  );
}

export function SelectField({ label, error, hint, className, children, ...select }: { label: string; error?: string | undefined; hint?: ReactNode; children: ReactNode } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <Field label={label} error={error} hint={hint} className={className}>
      {(p) => (
        <select className="input select" {...select} {...p}>
          {children}
        </select>
      )}
    </Field>
  );
}
