import pytest

from caudal_dags.gate import judge


def evaluation(ndcg=0.30, map_=0.20, precision=0.25, recall=0.40):
    return {"chosen": {"model": "ease", "ndcg_at_10": ndcg, "map_at_10": map_, "precision_at_10": precision,
                       "recall_at_10": recall}}


def test_the_first_model_is_published():
    verdict = judge(evaluation(), None, 0.05)
    assert verdict.publish
    assert verdict.reasons == ("nothing published yet",)


def test_a_model_within_the_tolerance_is_published():
    assert judge(evaluation(ndcg=0.286), evaluation(ndcg=0.30), 0.05).publish


def test_a_model_below_the_tolerance_on_one_metric_is_held_back_naming_it():
    verdict = judge(evaluation(recall=0.37), evaluation(recall=0.40), 0.05)
    assert not verdict.publish
    assert verdict.reasons == ("recall_at_10 0.3700 < 0.3800 (published 0.4000, tolerance 5%)",)


def test_zero_tolerance_holds_back_any_drop():
    assert not judge(evaluation(ndcg=0.2999), evaluation(ndcg=0.30), 0.0).publish
    assert judge(evaluation(ndcg=0.31), evaluation(ndcg=0.30), 0.0).publish


def test_an_evaluation_without_metrics_is_a_clear_error():
    with pytest.raises(ValueError, match="the staged evaluation lacks map_at_10"):
        judge({"chosen": {"ndcg_at_10": 0.3, "precision_at_10": 0.1, "recall_at_10": 0.1}}, None, 0.05)
    with pytest.raises(ValueError, match="the published evaluation has no 'chosen' model metrics"):
        judge(evaluation(), {"models": {}}, 0.05)


def test_a_tolerance_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError, match=r"the tolerance must be a fraction in \[0, 1\), got 5.0"):
        judge(evaluation(), None, 5.0)
