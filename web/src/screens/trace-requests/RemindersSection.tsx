import { api, call } from '../../api/client';
import { LoadedSection } from '../../components/ui';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link } from '../../router';
import { tracingPaths } from './paths';

/** Requests awaiting an answer past their due date, most overdue first: whom to remind today. */
export function RemindersSection({ investigationId }: { investigationId: string }) {
  const { t, formatDate, label } = useI18n();
  const reminders = useLoad(
    () =>
      call(
        api.GET('/api/v1/investigations/{id}/trace-requests/reminders', {
          params: { path: { id: investigationId }, query: {} },
        }),
      ),
    [investigationId],
  );
  return (
    <LoadedSection
      id="reminders"
      title={t('traceReminders.title')}
      intro={t('traceReminders.intro')}
      loaded={reminders}
      isEmpty={(data) => data.items.length === 0}
      empty={t('traceReminders.empty')}
    >
      {(data) => (
        <ul className="plain-list reminder-list">
          {data.items.map((reminder) => (
            <li key={reminder.id} data-testid="reminder">
              <Link to={tracingPaths.request(investigationId, reminder.id)}>
                <bdi dir="auto">{reminder.subject}</bdi>
              </Link>{' '}
              <span className="badge badge-overdue">
                {t('traceReminders.daysOverdue', { count: reminder.days_overdue })}
              </span>
              <br />
              <span className="muted small">
                {t('trace.to')} <bdi dir="auto">{reminder.addressee_name}</bdi>
                {' · '}
                {label('traceStatus', reminder.status)}
                {reminder.due_on !== null && ` · ${t('trace.dueOn', { date: formatDate(reminder.due_on) })}`}
                {reminder.days_since_sent !== null &&
                  ` · ${t('traceReminders.sentDaysAgo', { count: reminder.days_since_sent })}`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </LoadedSection>
  );
}
